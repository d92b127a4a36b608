import type { AccessClass, CanonicalEvent, FoundSecret } from '@keywatch/event';
import type { Adapter, Mapper, Unwrapped } from './adapter.ts';
import { callerAddress } from './address.ts';
import { field, isObject, own, str, text } from './fields.ts';
import { finishEvent } from './finish-event.ts';
import { deterministicId } from './hash.ts';
import { reject } from './rejection.ts';
import { defineSource } from './source-definition.ts';
import { parseTime } from './time.ts';

/**
 * GitHub enterprise/organization audit log: streamed events and REST API items (a REST page, a JSON
 * array, is split into items before it gets here). Panther's `at_sign_timestamp` spelling is accepted.
 */
export const githubAuditAdapter: Adapter = {
  unwrap: (value): Unwrapped[] => [{ path: '', value }],
  mapperFor: () => githubMapper,
};

const GITHUB_COMPANIONS = ['actor', '_document_id', 'created_at', '@timestamp', 'org', 'business', 'hashed_token', 'token_id'];

export const githubAuditSource = defineSource({
  format: 'github-audit',
  description: 'GitHub enterprise/organization audit log (stream or REST API)',
  recognise: (v) => typeof own(v, 'action') === 'string' && GITHUB_COMPANIONS.some((name) => field(v, name) !== undefined),
  adapter: () => githubAuditAdapter,
});

const githubMapper: Mapper = { secretPaths: [], map: mapGithub };

function mapGithub(record: unknown, secrets: FoundSecret[]): CanonicalEvent {
  if (!isObject(record)) reject('invalid_field', '(record): must be a JSON object');
  const action = str(field(record, 'action'));
  if (action === null) reject('invalid_field', 'action: required');
  const actor = str(field(record, 'actor'));
  const createsToken = TOKEN_CREATION.has(action);
  const credentialId = createsToken && actor !== null ? `principal:${actor}` : credentialOf(record, actor);
  const time = timeOf(record);
  const status = statusOf(field(record, 'status_code'));
  const failed = (status !== null && status >= 400) || FAILED_ACTIONS.has(action);
  const errorCode = status !== null && status >= 400 ? String(status) : FAILED_ACTIONS.has(action) ? action : null;

  return finishEvent(
    {
      id: text(field(record, '_document_id')) ?? deterministicId(record),
      time,
      provider: 'github',
      source: 'github-audit',
      credentialId,
      principal: actor,
      credentialKind: credentialId.startsWith('principal:') ? 'principal' : 'key',
      identity: actor,
      session: null,
      account: str(field(record, 'org')) ?? str(field(record, 'business')),
      ...callerAddress(str(field(record, 'actor_ip'))),
      sourceCountry: countryOf(record),
      userAgent: str(field(record, 'user_agent')),
      action,
      resource: createsToken
        ? newTokenOf(record)
        : (str(field(record, 'repo')) ?? str(field(record, 'repository')) ?? str(field(record, 'url_path'))),
      accessClass: createsToken ? 'write' : accessClassOf(record, action),
      outcome: failed ? 'failure' : 'success',
      errorCode,
      region: null,
      secrets,
    },
    'token_id',
  );
}

/** Sign-in failures are logged as their own action, with no status code. */
const FAILED_ACTIONS = new Set(['user.failed_login']);

/**
 * Token creation is logged with the *new* token's `hashed_token`/`token_id`, but the user's web session
 * made the call: it is a write of the actor, and the new token is its resource.
 */
const TOKEN_CREATION = new Set(['personal_access_token.create', 'oauth_access.create', 'oauth_authorization.create']);

function newTokenOf(record: Record<string, unknown>): string | null {
  const tokenId = text(field(record, 'token_id'));
  if (tokenId !== null) return `token:${tokenId}`;
  const hashed = str(field(record, 'hashed_token'));
  return hashed === null ? null : `hashed_token:${hashed}`;
}

/** `actor_location.country_code`: GitHub's own geolocation of the caller, present without IP disclosure. */
function countryOf(record: Record<string, unknown>): string | null {
  const code = str(own(field(record, 'actor_location'), 'country_code'));
  return code !== null && /^[A-Za-z]{2}$/.test(code) ? code.toUpperCase() : null;
}

/**
 * `token:<token_id>` for calls made with a token; else `hashed_token:<hash>` (streams without ids);
 * else the acting user, `principal:<actor>` (web sessions carry no token at all).
 */
function credentialOf(record: Record<string, unknown>, actor: string | null): string {
  const tokenId = text(field(record, 'token_id'));
  if (tokenId !== null) return `token:${tokenId}`;
  const hashedToken = str(field(record, 'hashed_token'));
  if (hashedToken !== null) return `hashed_token:${hashedToken}`;
  if (actor !== null) return `principal:${actor}`;
  return reject('no_credential', 'token_id: missing, and no hashed_token or actor either');
}

const TIME_FIELDS = ['@timestamp', 'created_at'];

/** `@timestamp` / `created_at`: epoch ms (int, float or string) or a date string; first readable one wins. */
function timeOf(record: Record<string, unknown>): string {
  const present = TIME_FIELDS.map((name) => [name, field(record, name)] as const).filter(([, v]) => v !== undefined);
  for (const [, value] of present) {
    const time = parseTime(value);
    if (time !== null) return time;
  }
  const [name, value] = present[0] ?? ['created_at', undefined];
  return value === undefined
    ? reject('invalid_field', 'created_at: required (also looked for @timestamp)')
    : reject('invalid_field', `${name}: not a date: ${JSON.stringify(String(value).slice(0, 40))}`);
}

function statusOf(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d{3}$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
}

const WRITE_OPERATIONS = new Set(['create', 'modify', 'remove', 'restore', 'transfer']);
/** Git events carry no operation_type; their verb says it. */
const GIT_ACCESS = new Map<string, AccessClass>([
  ['git.clone', 'read'],
  ['git.fetch', 'read'],
  ['git.push', 'write'],
]);

function accessClassOf(record: Record<string, unknown>, action: string): AccessClass {
  const method = str(field(record, 'request_method'))?.toUpperCase();
  if (action === 'api.request' && method !== undefined) return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
  const operation = str(field(record, 'operation_type'))?.toLowerCase();
  if (operation === 'access') return 'read';
  if (operation !== undefined && WRITE_OPERATIONS.has(operation)) return 'write';
  return GIT_ACCESS.get(action) ?? 'unknown';
}
