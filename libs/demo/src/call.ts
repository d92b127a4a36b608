import { awsRequest, regionOf } from './aws-actions.ts';
import { githubPath } from './github-actions.ts';
import type { ApiError, AwsAction, Call, GithubAction, KeyProfile } from './model.ts';
import type { Rng } from './rng.ts';

/** Who made a call and how; defaults are the key's own home address and client. */
export interface CallOptions {
  ip?: string;
  userAgent?: string;
  error?: ApiError | null;
  /** Override of the generated request parameters. */
  params?: Record<string, unknown> | null;
  /** Target another bucket than the key's own (attackers listing what they can reach). */
  bucket?: string;
  /** GitHub: the repository the call targets. */
  repo?: string;
}

/** Share of a multi-region workload's calls made from its second region. */
const SECOND_REGION_SHARE = 0.4;

export function awsCall(key: KeyProfile, ms: number, action: AwsAction, rng: Rng, opts: CallOptions = {}): Call {
  const request = awsRequest(action, key, rng, opts.bucket);
  // A multi-region workload calls from its second region's addresses, against that region's endpoints.
  const second = key.secondHome;
  const fromSecond = second !== null && (opts.ip === undefined ? rng.chance(SECOND_REGION_SHARE) : second.ips.includes(opts.ip));
  const ip = opts.ip ?? (fromSecond && second !== null ? rng.pick(second.ips) : rng.pick(key.ips));
  return {
    ms: Math.floor(ms / 1000) * 1000,
    key,
    action,
    ip,
    userAgent: opts.userAgent ?? key.userAgent,
    region: regionOf(action, fromSecond && second !== null ? second.region : key.region),
    ...(fromSecond ? { behaviour: 'multi_region' } : {}),
    params: opts.params !== undefined ? opts.params : request.params,
    resources: request.resources,
    error: opts.error ?? null,
    tag: null,
  };
}

export function githubCall(key: KeyProfile, ms: number, action: GithubAction, rng: Rng, opts: CallOptions = {}): Call {
  const repo = opts.repo ?? rng.pick(key.resources.githubRepos);
  return {
    ms: Math.floor(ms),
    key,
    action,
    ip: opts.ip ?? rng.pick(key.ips),
    userAgent: opts.userAgent ?? key.userAgent,
    region: key.region,
    params: { url_path: githubPath(action, key, rng, repo), repo },
    resources: null,
    error: opts.error ?? null,
    tag: null,
  };
}
