import type { AccessClass, CanonicalEvent, FoundSecret } from '@keywatch/event';
import type { Adapter, Mapper, Unwrapped } from './adapter.ts';
import { callerAddress } from './address.ts';
import { field, isObject, own, str, text } from './fields.ts';
import { finishEvent } from './finish-event.ts';
import { deterministicId, sha256Hex } from './hash.ts';
import { reject } from './rejection.ts';
import { defineSource } from './source-definition.ts';
import { parseTime } from './time.ts';

/**
 * Google Cloud Audit Logs: a Cloud Logging `LogEntry` whose `protoPayload` is an `AuditLog`. Also
 * accepts an `entries.list` response (`{"entries":[…]}`) and the lower-case spellings of exports
 * (`protopayload`, `logname`, `insertid`, `receivetimestamp`).
 */
export const gcpAuditAdapter: Adapter = {
  unwrap: unwrapGcp,
  mapperFor: () => gcpMapper,
};

export const gcpAuditSource = defineSource({
  format: 'gcp-audit',
  description: 'Google Cloud audit logs (LogEntry with an AuditLog protoPayload)',
  recognise: (v) => {
    if (isObject(field(v, 'protoPayload'))) return true;
    const logName = field(v, 'logName');
    return typeof logName === 'string' && logName.includes('cloudaudit.googleapis.com');
  },
  adapter: () => gcpAuditAdapter,
});

const gcpMapper: Mapper = { secretPaths: [], map: mapGcp };

function unwrapGcp(value: unknown): Unwrapped[] {
  const entries = own(value, 'entries');
  if (Array.isArray(entries)) return entries.map((e, i) => ({ path: `entries[${i}]`, value: e }));
  return [{ path: '', value }];
}

function mapGcp(entry: unknown, secrets: FoundSecret[]): CanonicalEvent {
  if (!isObject(entry)) reject('invalid_field', '(record): must be a JSON object');
  const logName = str(field(entry, 'logName'));
  if (logName !== null && /cloudaudit\.googleapis\.com(%2F|\/)system_event$/i.test(logName)) {
    reject('unsupported_event', 'logName: system_event entries record actions Google took, not calls made with a key');
  }
  // A few exports put the AuditLog fields at the top level instead of under protoPayload.
  const payload = payloadOf(entry);
  const auth = field(payload, 'authenticationInfo');
  const principal = str(field(auth, 'principalEmail')) ?? str(field(auth, 'principalSubject'));
  const credentialId = credentialOf(auth, principal);

  const metadata = field(payload, 'requestMetadata');
  const time = timeOf(entry, metadata);
  const methodName = str(field(payload, 'methodName'));
  if (methodName === null) reject('invalid_field', 'protoPayload.methodName: required');
  const serviceName = str(field(payload, 'serviceName'));
  const code = statusCode(field(payload, 'status'));

  return finishEvent(
    {
      id: idOf(entry, logName),
      time,
      provider: 'gcp',
      source: 'gcp-audit',
      credentialId,
      principal,
      credentialKind: credentialId.startsWith('principal:') ? 'principal' : 'key',
      identity: principal,
      session: null,
      account: accountOf(entry, logName),
      ...callerAddress(str(field(metadata, 'callerIp')) ?? str(field(metadata, 'callerIP'))),
      userAgent: str(field(metadata, 'callerSuppliedUserAgent')),
      action: serviceName === null ? methodName : `${serviceName}:${methodName}`,
      resource: str(field(payload, 'resourceName')),
      accessClass: accessClassOf(payload, logName, methodName),
      outcome: code === null ? 'success' : 'failure',
      errorCode: code,
      region: regionOf(entry, payload),
      secrets,
    },
    'protoPayload.authenticationInfo.serviceAccountKeyName',
  );
}

function payloadOf(entry: Record<string, unknown>): unknown {
  const payload = field(entry, 'protoPayload');
  if (isObject(payload)) return payload;
  return field(entry, 'methodName') !== undefined ? entry : undefined;
}

/**
 * The service-account key that minted the caller's token. Callers without one (users, metadata-server
 * tokens) are keyed by who they are: `principal:<principalEmail or principalSubject>`.
 */
function credentialOf(auth: unknown, principal: string | null): string {
  const keyName = str(field(auth, 'serviceAccountKeyName'));
  if (keyName !== null) return keyName;
  if (principal !== null) return `principal:${principal}`;
  return reject('no_credential', 'protoPayload.authenticationInfo: no serviceAccountKeyName, principalEmail or principalSubject');
}

/** The entry's own time; else the request time the caller's metadata carries; else when Logging got it. */
function timeOf(entry: unknown, metadata: unknown): string {
  const candidates: [string, unknown][] = [
    ['timestamp', field(entry, 'timestamp')],
    ['protoPayload.requestMetadata.requestAttributes.time', own(field(metadata, 'requestAttributes'), 'time')],
    ['receiveTimestamp', field(entry, 'receiveTimestamp')],
  ];
  const present = candidates.filter(([, v]) => v !== undefined);
  for (const [, value] of present) {
    const time = parseTime(value);
    if (time !== null) return time;
  }
  const [name, value] = present[0] ?? ['timestamp', undefined];
  return value === undefined
    ? reject('invalid_field', 'timestamp: required (also looked for requestAttributes.time and receiveTimestamp)')
    : reject('invalid_field', `${name}: not a date: ${JSON.stringify(String(value).slice(0, 40))}`);
}

/** `insertId` is unique only within one log, so the log's name is folded in when known. */
function idOf(entry: Record<string, unknown>, logName: string | null): string {
  const insertId = text(field(entry, 'insertId'));
  if (insertId === null) return deterministicId(entry);
  return logName === null ? insertId : `${insertId}.${sha256Hex(logName).slice(0, 8)}`;
}

/** google.rpc.Code as a string when the call failed; proto3 JSON omits 0 (OK). */
function statusCode(status: unknown): string | null {
  const code = own(status, 'code');
  const n = typeof code === 'string' && /^\d+$/.test(code) ? Number(code) : code;
  return typeof n === 'number' && Number.isFinite(n) && n !== 0 ? String(n) : null;
}

const READ_VERBS =
  /^(get|list|search|read|query|lookup|describe|watch|view|fetch|check|testiampermissions|batchget|export|download|aggregatedlist)/i;
const WRITE_VERBS =
  /^(create|insert|update|patch|delete|set|add|remove|put|write|move|copy|enable|disable|undelete|destroy|restore|import|upload|deploy|rotate|sign|generate|exec|attach|detach|start|stop|reset|resize|cancel|approve|deny|grant|revoke)/i;

/**
 * Read or write, from the strongest evidence present: the permission types checked, then the log
 * (Admin Activity holds only ADMIN_WRITE calls), then the verb of the method name.
 */
function accessClassOf(payload: unknown, logName: string | null, methodName: string): AccessClass {
  const authorizations = field(payload, 'authorizationInfo');
  const types = Array.isArray(authorizations) ? authorizations.map((a) => str(own(a, 'permissionType')) ?? '') : [];
  if (types.some((t) => t.endsWith('_WRITE'))) return 'write';
  if (types.some((t) => t.endsWith('_READ'))) return 'read';
  if (logName !== null && /cloudaudit\.googleapis\.com(%2F|\/)activity$/i.test(logName)) return 'write';
  const verb = methodName.split('.').at(-1) ?? methodName;
  if (READ_VERBS.test(verb)) return 'read';
  if (WRITE_VERBS.test(verb)) return 'write';
  return 'unknown';
}

function accountOf(entry: unknown, logName: string | null): string | null {
  const projectId = str(own(own(field(entry, 'resource'), 'labels'), 'project_id'));
  if (projectId !== null) return projectId;
  const parent = logName === null ? null : /^(projects|folders|organizations|billingAccounts)\/([^/]+)\//.exec(logName);
  if (parent === null) return null;
  return parent[1] === 'projects' ? (parent[2] ?? null) : `${parent[1]}/${parent[2]}`;
}

function regionOf(entry: unknown, payload: unknown): string | null {
  const labels = own(field(entry, 'resource'), 'labels');
  const fromLabels = str(own(labels, 'location')) ?? str(own(labels, 'zone')) ?? str(own(labels, 'region'));
  if (fromLabels !== null) return fromLabels;
  const locations = own(field(payload, 'resourceLocation'), 'currentLocations');
  return Array.isArray(locations) ? str(locations[0]) : null;
}
