import type { CanonicalEvent, CredentialKind, FoundSecret } from '@keywatch/event';
import { redactString } from '@keywatch/secrets';
import type { Adapter, Mapper, Unwrapped } from './adapter.ts';
import { callerAddress } from './address.ts';
import { isCloudWatchLogsPayload, unwrapCloudWatchLogs } from './cloudwatch-logs.ts';
import { atPath, field, isObject, own, str, text } from './fields.ts';
import { finishEvent } from './finish-event.ts';
import { deterministicId } from './hash.ts';
import { parseJson } from './json.ts';
import { reject, skip } from './rejection.ts';
import { defineSource } from './source-definition.ts';
import { parseTime } from './time.ts';
import type { ExpectedField } from './types.ts';

/**
 * AWS CloudTrail. Envelopes: S3 trail file `{"Records":[…]}`, EventBridge (`detail-type` + `detail`),
 * CloudWatch Logs subscription (`logEvents[].message`), or one bare record.
 */
export const cloudTrailAdapter: Adapter = {
  unwrap: unwrapCloudTrail,
  mapperFor: (element) => (field(element, 'eventSource') === 'sts.amazonaws.com' ? stsMapper : cloudTrailMapper),
};

export const cloudTrailSource = defineSource({
  format: 'cloudtrail',
  description: 'AWS CloudTrail (S3 trail files, EventBridge, CloudWatch Logs, Logstash, Datadog)',
  recognise: isCloudTrail,
  cloudWatchLogs: true,
  adapter: () => cloudTrailAdapter,
});

function isCloudTrail(v: Record<string, unknown>): boolean {
  if (Array.isArray(own(v, 'Records'))) return true;
  if (typeof own(v, 'detail-type') === 'string' && isObject(own(v, 'detail'))) return true;
  if (typeof field(v, 'eventVersion') === 'string') return true;
  const eventSource = field(v, 'eventSource');
  if (typeof eventSource === 'string' && eventSource.endsWith('.amazonaws.com')) return true;
  return isObject(field(v, 'userIdentity')) && field(v, 'eventName') !== undefined;
}

const cloudTrailMapper: Mapper = { secretPaths: [], map: mapCloudTrail };
/**
 * CloudTrail logs the session token of the temporary credentials STS issues (AssumeRole,
 * GetFederationToken, GetSessionToken, …) in every such record; the secret access key never. It is
 * redacted like any secret, but it is the normal shape of the record, not a leak: no alert.
 */
const stsMapper: Mapper = {
  ...cloudTrailMapper,
  routinePaths: ['responseElements.credentials.sessionToken', 'responseelements.credentials.sessiontoken'],
};

function unwrapCloudTrail(value: unknown): Unwrapped[] {
  const records = own(value, 'Records');
  if (Array.isArray(records)) return records.map((r, i) => ({ path: `Records[${i}]`, value: decodeJsonStrings(r) }));
  const detailType = own(value, 'detail-type');
  if (typeof detailType === 'string' && own(value, 'detail') !== undefined) {
    if (!/via CloudTrail$/i.test(detailType)) {
      const shown = redactString(detailType).text.slice(0, 80);
      return [
        { path: '', reason: 'unsupported_event', message: `detail-type: "${shown}" is not a CloudTrail event`, raw: value },
      ];
    }
    return [{ path: 'detail', value: decodeJsonStrings(own(value, 'detail')) }];
  }
  if (isCloudWatchLogsPayload(value)) {
    return unwrapCloudWatchLogs(value).map((item) =>
      'value' in item ? { ...item, value: decodeJsonStrings(item.value) } : item,
    );
  }
  return [{ path: '', value: decodeJsonStrings(value) }];
}

/** Fields some exports write as JSON text, in both spellings (`requestParameters`, `requestparameters`). */
const JSON_TEXT_FIELDS = ['requestParameters', 'responseElements', 'additionalEventData'].flatMap((name) => [
  name,
  name.toLowerCase(),
]);

/**
 * Some exports carry `requestParameters`/`responseElements` as JSON text. Decoding them before
 * redaction lets key-based detection see `sessionToken` and friends inside.
 */
function decodeJsonStrings(record: unknown): unknown {
  if (!isObject(record)) return record;
  let out = record;
  for (const key of JSON_TEXT_FIELDS) {
    const raw = own(record, key);
    if (typeof raw !== 'string' || !/^\s*[{[]/.test(raw)) continue;
    const parsed = parseJson(raw);
    if (parsed.ok) out = { ...out, [key]: parsed.value };
  }
  return out;
}

/**
 * Where shippers put the fields they move. Logstash / Elastic Agent without the AWS integration's ECS
 * mapping rename `eventTime` to `@timestamp`; Datadog's CloudTrail pipeline moves `sourceIPAddress`
 * to `network.client.ip` and `userAgent` to `http.useragent`, and copies `eventName` to `evt.name`.
 */
const TIME_PATHS = ['eventTime', '@timestamp'];
const IP_PATHS = ['sourceIPAddress', 'network.client.ip'];
const USER_AGENT_PATHS = ['userAgent', 'http.useragent'];
const EVENT_NAME_PATHS = ['eventName', 'evt.name'];

/** The first of `paths` present in the record (`field` spellings for top-level names, dotted paths below). */
function shipped(record: unknown, paths: readonly string[]): unknown {
  for (const path of paths) {
    const value = path.includes('.') ? atPath(record, path) : field(record, path);
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

function mapCloudTrail(record: unknown, secrets: FoundSecret[], missing: ExpectedField[]): CanonicalEvent {
  if (!isObject(record)) reject('invalid_field', '(record): must be a JSON object');
  const eventType = str(field(record, 'eventType'));
  if (eventType === 'AwsCloudTrailInsight' || str(field(record, 'eventCategory')) === 'Insight') {
    reject('unsupported_event', 'eventType: Insight events describe API volume, not a call made with a key');
  }
  const identity = field(record, 'userIdentity');
  skipServiceRecord(eventType, identity);
  const principal = text(field(identity, 'arn')) ?? text(field(identity, 'principalId'));
  const credentialId = credentialOf(identity, principal);

  const rawTime = shipped(record, TIME_PATHS);
  if (rawTime === undefined) reject('invalid_field', 'eventTime: required (also looked for @timestamp)');
  const time = parseTime(rawTime);
  if (time === null) reject('invalid_field', `eventTime: not a date: ${JSON.stringify(String(rawTime).slice(0, 40))}`);

  const eventName = str(shipped(record, EVENT_NAME_PATHS));
  if (eventName === null) reject('invalid_field', 'eventName: required (also looked for evt.name)');
  const rawIp = shipped(record, IP_PATHS);
  const userAgent = str(shipped(record, USER_AGENT_PATHS));
  if (rawIp === undefined) missing.push('sourceIp');
  if (userAgent === null) missing.push('userAgent');
  const eventSource = str(field(record, 'eventSource'));
  if (eventSource === null) reject('invalid_field', 'eventSource: required');

  const errorCode = str(field(record, 'errorCode')) ?? consoleLoginFailure(record);
  const who = identityOf(identity, credentialId, principal);
  const address = callerAddress(str(rawIp));
  return finishEvent(
    {
      id: text(field(record, 'eventID')) ?? deterministicId(record),
      time,
      provider: 'aws',
      source: 'cloudtrail',
      credentialId,
      principal,
      credentialKind: who.credentialKind,
      identity: who.identity,
      session: who.session,
      account: text(field(record, 'recipientAccountId')) ?? text(field(identity, 'accountId')),
      sourceIp: address.sourceIp,
      sourceAddress: address.sourceAddress,
      userAgent,
      action: `${serviceOf(eventSource)}:${eventName}`,
      resource: resourceOf(record),
      accessClass: accessClassOf(field(record, 'readOnly')),
      outcome: errorCode === null ? 'success' : 'failure',
      errorCode,
      region: str(field(record, 'awsRegion')),
      secrets,
    },
    'userIdentity.accessKeyId',
  );
}

/** `s3.amazonaws.com` → `s3`; a trail names a few dozen services, so each is worked out once. */
function serviceOf(eventSource: string): string {
  let service = SERVICES.get(eventSource);
  if (service === undefined) {
    service = eventSource.replace(/\.amazonaws\.com$/i, '');
    if (SERVICES.size >= 1000) SERVICES.clear();
    SERVICES.set(eventSource, service);
  }
  return service;
}

const SERVICES = new Map<string, string>();

/**
 * The access key id that signed the call. CloudTrail leaves it out or empty for some calls (console
 * sessions, some service-made calls): those are keyed by the principal, `principal:<arn or principalId>`.
 */
function credentialOf(identity: unknown, principal: string | null): string {
  const accessKeyId = str(field(identity, 'accessKeyId'));
  if (accessKeyId !== null) return accessKeyId;
  if (principal !== null) return `principal:${principal}`;
  return reject('no_credential', 'userIdentity: no accessKeyId, arn or principalId');
}

/** `arn:aws:sts::123:assumed-role/Name/session` → role `arn:aws:iam::123:role/Name`, session `session`. */
const ASSUMED_ROLE_ARN = /^arn:(aws[a-z-]*):sts::(\d*):assumed-role\/(.+)\/([^/]+)$/;

/**
 * The identity behind the credential and its session. A role session's identity is its role
 * (`sessionContext.sessionIssuer.arn`, else derived from the assumed-role ARN, which drops the role's
 * path) and its session the session name; a user's temporary credentials (`ASIA…` of an IAM user or the
 * root user: console sign-in, GetSessionToken) are a `user_session` of that user.
 */
function identityOf(
  identity: unknown,
  credentialId: string,
  principal: string | null,
): { credentialKind: CredentialKind; identity: string | null; session: string | null } {
  const type = str(field(identity, 'type'));
  const arn = str(field(identity, 'arn'));
  const keyed = !credentialId.startsWith('principal:');
  if (type === 'AssumedRole' || (arn !== null && ASSUMED_ROLE_ARN.test(arn))) {
    const match = arn === null ? null : ASSUMED_ROLE_ARN.exec(arn);
    const issuer = field(field(identity, 'sessionContext'), 'sessionIssuer');
    const role = str(field(issuer, 'arn')) ?? (match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : null);
    const session = match?.[4] ?? null;
    return { credentialKind: 'role_session', identity: role, session };
  }
  if (type === 'FederatedUser') return { credentialKind: 'user_session', identity: arn ?? principal, session: null };
  const temporary = credentialId.startsWith('ASIA');
  if (!keyed) return { credentialKind: 'principal', identity: arn ?? principal, session: null };
  return { credentialKind: temporary ? 'user_session' : 'key', identity: arn ?? principal, session: null };
}

/**
 * Every real trail holds records AWS wrote about its own work: `eventType: AwsServiceEvent` (a secret
 * rotation step, a shared snapshot's volume) and calls by an AWS service principal
 * (`userIdentity.type: AWSService`, e.g. EC2 assuming an instance role). No credential of the account
 * made them, so they are skipped with a reason instead of being dead-lettered.
 */
function skipServiceRecord(eventType: string | null, identity: unknown): void {
  if (eventType === 'AwsServiceEvent') skip('aws_service_record', 'eventType: AwsServiceEvent, an action AWS took itself');
  if (str(field(identity, 'type')) === 'AWSService') {
    const by = str(field(identity, 'invokedBy'));
    skip(
      'aws_service_record',
      `userIdentity.type: AWSService, a call made by ${by === null ? 'an AWS service' : redactString(by).text.slice(0, 80)}`,
    );
  }
}

function accessClassOf(readOnly: unknown): CanonicalEvent['accessClass'] {
  const v = typeof readOnly === 'string' ? readOnly.trim().toLowerCase() : readOnly;
  if (v === true || v === 'true') return 'read';
  if (v === false || v === 'false') return 'write';
  return 'unknown';
}

/** Console sign-in failures carry no errorCode: the verdict is in `responseElements.ConsoleLogin`. */
function consoleLoginFailure(record: unknown): string | null {
  if (own(field(record, 'responseElements'), 'ConsoleLogin') !== 'Failure') return null;
  return str(field(record, 'errorMessage')) ?? 'ConsoleLoginFailure';
}

/** Request parameters that name the target of common calls, in order of preference. */
const RESOURCE_PARAMETERS = ['bucketName', 'functionName', 'roleName', 'userName', 'policyArn', 'secretId', 'name'];

function resourceOf(record: unknown): string | null {
  const resources = field(record, 'resources');
  if (Array.isArray(resources)) {
    for (const r of resources) {
      const arn = text(own(r, 'ARN')) ?? text(own(r, 'arn'));
      if (arn !== null) return arn;
    }
  }
  const params = field(record, 'requestParameters');
  for (const name of RESOURCE_PARAMETERS) {
    const value = text(own(params, name));
    if (value !== null) return value;
  }
  return null;
}
