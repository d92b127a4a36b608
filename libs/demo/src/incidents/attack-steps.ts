import { AWS } from '../aws-actions.ts';
import { accessDenied } from '../aws-errors.ts';
import { awsCall, githubCall } from '../call.ts';
import { GITHUB } from '../github-actions.ts';
import type { ApiError, AwsAction, Call, GithubAction, KeyProfile } from '../model.ts';
import type { Rng } from '../rng.ts';

/** Builds an attacker's calls one after another from one address and client, with human-ish gaps. */
export class AttackScript {
  readonly calls: Call[] = [];
  readonly key: KeyProfile;
  readonly ip: string;
  readonly userAgent: string;
  readonly rng: Rng;
  t: number;

  constructor(key: KeyProfile, startMs: number, ip: string, userAgent: string, rng: Rng) {
    this.key = key;
    this.t = startMs;
    this.ip = ip;
    this.userAgent = userAgent;
    this.rng = rng;
  }

  /** One AWS call `gapS` seconds after the previous one; `denied` makes it fail with AccessDenied. */
  aws(action: AwsAction, gapS: [number, number], denied = false, params?: Record<string, unknown>, error?: ApiError): this {
    this.t += this.rng.int(gapS[0], gapS[1]) * 1000;
    const opts = { ip: this.ip, userAgent: this.userAgent, error: error ?? (denied ? accessDenied(action, this.key) : null) };
    this.calls.push(awsCall(this.key, this.t, action, this.rng, params === undefined ? opts : { ...opts, params }));
    return this;
  }

  github(action: GithubAction, gapS: [number, number], repo: string, status: number | null = null): this {
    this.t += this.rng.int(gapS[0], gapS[1]) * 1000;
    const error = status === null ? null : { code: String(status), message: 'Resource not accessible by personal access token' };
    this.calls.push(githubCall(this.key, this.t, action, this.rng, { ip: this.ip, userAgent: this.userAgent, error, repo }));
    return this;
  }
}

/** The first thing every stolen AWS key sees: who am I, what can I reach. Some of it is denied. */
export function awsRecon(s: AttackScript): void {
  s.aws(AWS.stsGetCallerIdentity, [0, 0])
    .aws(AWS.iamListAttachedUserPolicies, [2, 20], s.rng.chance(0.7))
    .aws(AWS.s3ListBuckets, [2, 30])
    .aws(AWS.iamListUsers, [3, 40], s.rng.chance(0.8));
}

/** What the attacker does next, fitted to what the key can do. */
export type Endgame = 'exfiltration' | 'persistence' | 'cryptomining' | 'ransom';

export function endgameFor(key: KeyProfile, rng: Rng): Endgame {
  switch (key.role) {
    case 'deployer':
      return rng.pick(['persistence', 'cryptomining'] as const);
    case 'writer':
    case 'etl':
      return rng.pick(['exfiltration', 'ransom'] as const);
    default:
      return 'exfiltration';
  }
}

export function awsEndgame(s: AttackScript, endgame: Endgame): void {
  const rng = s.rng;
  switch (endgame) {
    case 'exfiltration': {
      s.aws(AWS.s3ListObjects, [5, 60]).aws(AWS.s3ListObjects, [1, 5]);
      const n = rng.int(20, 80);
      for (let i = 0; i < n; i++) s.aws(AWS.s3GetObject, [0, 4]);
      if (rng.chance(0.5)) s.aws(AWS.secretsGetSecretValue, [5, 30]);
      return;
    }
    case 'persistence':
      s.aws(AWS.iamListAccessKeys, [5, 40])
        .aws(AWS.iamCreateUser, [10, 60], true)
        .aws(AWS.iamCreateAccessKey, [5, 30], false, { userName: s.key.name })
        .aws(AWS.iamAttachUserPolicy, [5, 30], true);
      return;
    case 'cryptomining': {
      s.aws(AWS.ec2DescribeRegions, [5, 40]);
      const launches = rng.int(2, 4);
      for (let i = 0; i < launches; i++) s.aws(AWS.ec2DescribeSecurityGroups, [3, 15]).aws(AWS.ec2RunInstances, [3, 20], i > 1);
      return;
    }
    case 'ransom': {
      s.aws(AWS.s3ListObjects, [5, 60]);
      const copies = rng.int(5, 15);
      for (let i = 0; i < copies; i++) s.aws(AWS.s3GetObject, [0, 3]);
      const deletes = rng.int(10, 30);
      for (let i = 0; i < deletes; i++) s.aws(AWS.s3DeleteObject, [0, 2]);
      // Fails: the bucket still holds objects the attacker did not get to. Then the ransom note.
      s.aws(AWS.s3DeleteBucket, [2, 10], false, undefined, {
        code: 'BucketNotEmpty',
        message: 'The bucket you tried to delete is not empty',
      });
      s.aws(AWS.s3PutObject, [5, 20]);
      return;
    }
  }
}

/** A stolen GitHub token: look around the repositories, fail to read secrets, download the code. */
export function githubTheft(s: AttackScript): void {
  const repos = s.key.resources.githubRepos;
  const first = repos[0] as string;
  s.github(GITHUB.getRepo, [0, 0], first)
    .github(GITHUB.listCollaborators, [3, 20], first, 403)
    .github(GITHUB.listSecrets, [3, 20], first, 403);
  for (const repo of repos) {
    s.github(GITHUB.getRepo, [1, 5], repo).github(GITHUB.tarball, [1, 8], repo);
    const reads = s.rng.int(2, 6);
    for (let i = 0; i < reads; i++) s.github(GITHUB.getContents, [1, 4], repo);
  }
}

export function summarizeActions(calls: Call[]): string {
  const counts = new Map<string, number>();
  for (const c of calls) {
    const name =
      c.action.provider === 'aws'
        ? `${c.action.service}:${c.action.name}`
        : `${c.action.method} ${c.action.route.replace('/repositories/:repository_id', '/repos/:repo')}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => (n > 1 ? `${n}× ${name}` : name)).join(', ');
}
