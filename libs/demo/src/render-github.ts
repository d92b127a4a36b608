import type { Call, GithubAction } from './model.ts';
import { type Rng, UPPER_HEX } from './rng.ts';

const OPERATION_TYPES: Record<GithubAction['method'], string> = {
  GET: 'access',
  POST: 'create',
  PATCH: 'modify',
  PUT: 'modify',
  DELETE: 'remove',
};

/** A GitHub enterprise audit-log `api.request` event, as audit-log streaming delivers it. */
export function renderGithub(call: Call, action: GithubAction, documentId: string, rng: Rng): Record<string, unknown> {
  const key = call.key;
  const gh = key.github;
  if (gh === null) throw new Error(`key ${key.name}: GitHub call on a key without GitHub metadata`);
  const repo = String(call.params?.repo ?? '');
  const repoIndex = Math.max(0, key.resources.githubRepos.indexOf(repo));
  return {
    '@timestamp': call.ms,
    created_at: call.ms,
    _document_id: documentId,
    action: 'api.request',
    actor: key.name,
    actor_id: gh.actorId,
    actor_is_bot: false,
    actor_ip: call.ip,
    business: 'acme',
    business_id: 4211,
    org: key.resources.githubOrg,
    org_id: 7301822,
    repo: `${key.resources.githubOrg}/${repo}`,
    repo_id: gh.repoIds[repoIndex],
    public_repo: false,
    operation_type: OPERATION_TYPES[action.method],
    programmatic_access_type: gh.tokenKind,
    token_id: gh.tokenId,
    hashed_token: gh.hashedToken,
    request_id: `${rng.chars(UPPER_HEX, 4)}:${rng.chars(UPPER_HEX, 4)}:${rng.chars(UPPER_HEX, 7)}:${rng.chars(UPPER_HEX, 7)}:${rng.chars(UPPER_HEX, 8)}`,
    request_method: action.method,
    url_path: call.params?.url_path,
    route: action.route,
    status_code: call.error === null ? (action.method === 'POST' ? 201 : 200) : Number(call.error.code),
    rate_limit_remaining: rng.int(3500, 4999),
    user_agent: call.userAgent,
  };
}
