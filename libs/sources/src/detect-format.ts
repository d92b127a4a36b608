import type { SourceFormat } from '@keywatch/event';
import { isCloudWatchLogsPayload } from './cloudwatch-logs.ts';
import { field, isObject, own } from './fields.ts';
import { matchingPreset } from './gateway.ts';
import { parseJson } from './json.ts';

/**
 * Guesses the source format of one record from fields only that format has. Minimal records (a bare
 * `{"methodName": …}` or `{"eventType": "logout"}`) are not guessed: they yield null, and the caller
 * dead-letters them as `unknown_format` unless the format was given explicitly.
 */
export function detectFormat(value: unknown): SourceFormat | null {
  if (Array.isArray(value)) return Array.isArray(value[0]) ? null : detectFormat(value[0]);
  if (!isObject(value)) return null;
  if (isCanonical(value)) return 'canonical';
  if (isCloudTrail(value)) return 'cloudtrail';
  if (isGcpAudit(value)) return 'gcp-audit';
  if (isGithubAudit(value)) return 'github-audit';
  if (matchingPreset(value) !== null) return 'gateway';
  if (isCloudWatchLogsPayload(value)) return detectCloudWatchMessage(value);
  return null;
}

function isCanonical(v: Record<string, unknown>): boolean {
  return typeof own(v, 'credentialId') === 'string' && typeof own(v, 'action') === 'string' && own(v, 'time') !== undefined;
}

function isCloudTrail(v: Record<string, unknown>): boolean {
  if (Array.isArray(own(v, 'Records'))) return true;
  if (typeof own(v, 'detail-type') === 'string' && isObject(own(v, 'detail'))) return true;
  if (typeof field(v, 'eventVersion') === 'string') return true;
  const eventSource = field(v, 'eventSource');
  if (typeof eventSource === 'string' && eventSource.endsWith('.amazonaws.com')) return true;
  return isObject(field(v, 'userIdentity')) && field(v, 'eventName') !== undefined;
}

function isGcpAudit(v: Record<string, unknown>): boolean {
  if (isObject(field(v, 'protoPayload'))) return true;
  const logName = field(v, 'logName');
  return typeof logName === 'string' && logName.includes('cloudaudit.googleapis.com');
}

const GITHUB_COMPANIONS = ['actor', '_document_id', 'created_at', '@timestamp', 'org', 'business', 'hashed_token', 'token_id'];

function isGithubAudit(v: Record<string, unknown>): boolean {
  return typeof own(v, 'action') === 'string' && GITHUB_COMPANIONS.some((name) => field(v, name) !== undefined);
}

/** A CloudWatch Logs payload is CloudTrail or gateway access logs, depending on its first message. */
function detectCloudWatchMessage(v: Record<string, unknown>): SourceFormat | null {
  const first = own(v, 'logEvents');
  const message = Array.isArray(first) ? own(first[0], 'message') : undefined;
  const parsed = typeof message === 'string' ? parseJson(message) : { ok: true as const, value: message };
  if (!parsed.ok || !isObject(parsed.value)) return null;
  if (isCloudTrail(parsed.value)) return 'cloudtrail';
  return matchingPreset(parsed.value) !== null ? 'gateway' : null;
}
