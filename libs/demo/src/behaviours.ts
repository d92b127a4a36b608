import { AWS } from './aws-actions.ts';
import { awsCall } from './call.ts';
import type { Call, KeyProfile, Window } from './model.ts';
import { LEARNING_DAYS } from './plan.ts';
import { AWS_ID_CHARS, DIGITS, type Rng } from './rng.ts';
import { DAY_MS, MINUTE_MS } from './time.ts';
import { upgradedUserAgent } from './user-agents.ts';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The benign behaviours of the whole fleet, as label kinds (the scenario confounders are labelled by kind too). */
export const BEHAVIOUR_KINDS = [
  'late_finish',
  'weekend_on_call',
  'multi_region',
  'sts_session_token',
  'idempotency_token',
  'pagination_token',
  'returns_after_pause',
  'sdk_upgrade',
] as const;

/**
 * The benign behaviours that rewrite or add to a key's everyday traffic after it is generated: a pause
 * and return, an SDK upgrade, role sessions, idempotent writes, paginated listings. Each call they touch
 * is marked with its behaviour, which becomes a benign label. Returns the key's traffic.
 */
export function applyBehaviours(key: KeyProfile, calls: Call[], window: Window, rng: Rng): Call[] {
  let out = calls;
  if (key.provider === 'aws') {
    const days = activeDays(out, window);
    if (key.traits.sts) out.push(...roleSessions(key, out, days, rng.fork('sts')));
    if (key.traits.idempotency) out.push(...idempotentWrites(key, out, days, rng.fork('idempotency')));
    if (key.traits.pagination) out.push(...paginatedListings(key, out, days, rng.fork('pagination')));
  }
  if (key.traits.pause) out = pauseAndReturn(out, window, rng.fork('pause'));
  if (key.traits.sdkUpgrade) sdkUpgrade(key, out, window, rng.fork('sdk'));
  return out.sort((a, b) => a.ms - b.ms);
}

/** Calls of the key grouped by UTC day index (only days with calls). */
function activeDays(calls: Call[], window: Window): Map<number, Call[]> {
  const days = new Map<number, Call[]>();
  for (const c of calls) {
    const d = Math.floor((c.ms - window.startMs) / DAY_MS);
    const list = days.get(d);
    if (list === undefined) days.set(d, [c]);
    else list.push(c);
  }
  return days;
}

/** A moment the key is working anyway: next to one of its own calls that day. */
function besideWork(day: Call[], rng: Rng): { ms: number; ip: string } {
  const c = rng.pick(day);
  return { ms: c.ms + rng.int(-120, 120) * 1000, ip: c.ip };
}

/**
 * The key assumes a role (cross-account deployments, a data pipeline reading another account) or gets a
 * federation token, one to a few times on the days it works. CloudTrail logs the temporary credentials it
 * got back, session token included: every such record carries a long high-entropy token.
 */
function roleSessions(key: KeyProfile, calls: Call[], days: Map<number, Call[]>, rng: Rng): Call[] {
  const federation = key.scope !== 'read-only' && rng.chance(0.3);
  const otherAccount = `${rng.int(1, 9)}${rng.chars(DIGITS, 11)}`;
  const role = `${key.team}-${rng.pick(['cross-account', 'data-access', 'deploy', 'reporting'])}`;
  const out: Call[] = [];
  for (const day of days.values()) {
    const n = rng.int(1, Math.min(4, Math.max(1, Math.round(day.length / 20))));
    for (let i = 0; i < n; i++) {
      const { ms, ip } = besideWork(day, rng);
      const session = `${key.name}-${Math.floor(ms / 1000)}`;
      const credentials = {
        accessKeyId: `ASIA${rng.chars(AWS_ID_CHARS, 16)}`,
        sessionToken: sessionToken(rng),
        expiration: expiration(ms + 3600_000),
      };
      const call = federation
        ? awsCall(key, ms, AWS.stsGetFederationToken, rng, {
            ip,
            params: { name: key.name.slice(0, 32), durationSeconds: 3600 },
          })
        : awsCall(key, ms, AWS.stsAssumeRole, rng, {
            ip,
            params: { roleArn: `arn:aws:iam::${otherAccount}:role/${role}`, roleSessionName: session, durationSeconds: 3600 },
          });
      call.response = federation
        ? {
            credentials,
            federatedUser: {
              federatedUserId: `${key.accountId}:${key.name.slice(0, 32)}`,
              arn: `arn:aws:sts::${key.accountId}:federated-user/${key.name.slice(0, 32)}`,
            },
            packedPolicySize: rng.int(3, 12),
          }
        : {
            credentials,
            assumedRoleUser: {
              assumedRoleId: `AROA${rng.chars(AWS_ID_CHARS, 17)}:${session}`,
              arn: `arn:aws:sts::${otherAccount}:assumed-role/${role}/${session}`,
            },
          };
      call.behaviour = 'sts_session_token';
      out.push(call);
    }
  }
  return calls.length > 0 ? out : [];
}

/** An STS session token as CloudTrail shows it: base64, starting like every real one, several hundred chars. */
function sessionToken(rng: Rng): string {
  return `IQoJb3JpZ2luX2Vj${rng.chars(BASE64, rng.int(380, 820))}`;
}

/** CloudTrail's expiration format in responseElements.credentials: `Mar 4, 2026, 3:17:09 PM`. */
function expiration(ms: number): string {
  const d = new Date(ms);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const h = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h}:${mm}:${ss} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

/**
 * Writes with idempotency tokens: a secret rotated (`secretsmanager:PutSecretValue` with a
 * `clientRequestToken`, a UUID the SDK generates) or a DynamoDB transaction with its `clientRequestToken`.
 */
function idempotentWrites(key: KeyProfile, calls: Call[], days: Map<number, Call[]>, rng: Rng): Call[] {
  const out: Call[] = [];
  for (const day of days.values()) {
    if (!rng.chance(0.6)) continue;
    const n = rng.int(1, 4);
    for (let i = 0; i < n; i++) {
      const { ms, ip } = besideWork(day, rng);
      const call = rng.chance(0.4)
        ? awsCall(key, ms, AWS.secretsPutSecretValue, rng, {
            ip,
            params: { secretId: key.resources.secretId, clientRequestToken: rng.uuid().toUpperCase() },
          })
        : awsCall(key, ms, AWS.dynamodbTransactWriteItems, rng, {
            ip,
            params: { clientRequestToken: rng.uuid(), transactItems: [{ put: { tableName: key.resources.table } }] },
          });
      if (call.action.provider === 'aws' && call.action.name === 'PutSecretValue') {
        call.response = {
          arn: `arn:aws:secretsmanager:${call.region}:${key.accountId}:secret:${key.resources.secretId}-${rng.chars(BASE64.slice(0, 62), 6)}`,
          versionId: rng.uuid(),
        };
      }
      call.behaviour = 'idempotency_token';
      out.push(call);
    }
  }
  return calls.length > 0 ? out : [];
}

/**
 * Listings paged with opaque continuation tokens: SSM parameters, Secrets Manager secrets, ECS tasks
 * (`nextToken`, base64 of a few hundred bytes) and S3 objects (`continuation-token`).
 */
function paginatedListings(key: KeyProfile, calls: Call[], days: Map<number, Call[]>, rng: Rng): Call[] {
  const out: Call[] = [];
  for (const day of days.values()) {
    if (!rng.chance(0.5)) continue;
    const { ms, ip } = besideWork(day, rng);
    const pages = rng.int(2, 6);
    const kind = rng.int(0, 3);
    for (let p = 0; p < pages; p++) {
      const token = p === 0 ? null : `${rng.chars(BASE64, rng.int(120, 600))}==`;
      const t = ms + p * rng.int(1, 3) * 1000;
      let call: Call;
      if (kind === 0) {
        call = awsCall(key, t, AWS.ssmDescribeParameters, rng, {
          ip,
          params: { maxResults: 50, ...(token === null ? {} : { nextToken: token }) },
        });
      } else if (kind === 1) {
        call = awsCall(key, t, AWS.secretsListSecrets, rng, {
          ip,
          params: { maxResults: 100, ...(token === null ? {} : { nextToken: token }) },
        });
      } else if (kind === 2) {
        call = awsCall(key, t, AWS.ecsListTasks, rng, {
          ip,
          params: { cluster: key.resources.ecsCluster, ...(token === null ? {} : { nextToken: token }) },
        });
      } else {
        const bucket = key.resources.bucket;
        call = awsCall(key, t, AWS.s3ListObjects, rng, {
          ip,
          params: {
            bucketName: bucket,
            Host: `${bucket}.s3.${key.region}.amazonaws.com`,
            'list-type': '2',
            'max-keys': '1000',
            ...(token === null ? {} : { 'continuation-token': token.replace(/=+$/, '') }),
          },
        });
      }
      call.behaviour = 'pagination_token';
      out.push(call);
    }
  }
  return calls.length > 0 ? out : [];
}

/**
 * The key pauses for 10-20 days (its owner on holiday, a project on hold) and comes back, from its usual
 * place with its usual client. Its calls on the day it returns are the behaviour's label.
 */
function pauseAndReturn(calls: Call[], window: Window, rng: Rng): Call[] {
  const maxGap = Math.min(20, window.days - 5);
  if (maxGap < 10) return calls;
  const gap = rng.int(10, maxGap);
  const from = rng.int(3, window.days - gap - 1);
  const pauseStart = window.startMs + from * DAY_MS;
  const pauseEnd = pauseStart + gap * DAY_MS;
  const kept = calls.filter((c) => c.ms < pauseStart || c.ms >= pauseEnd);
  const back = kept.find((c) => c.ms >= pauseEnd);
  if (back === undefined) return kept;
  for (const c of kept) if (c.ms >= back.ms && c.ms < back.ms + DAY_MS) c.behaviour = 'returns_after_pause';
  return kept;
}

/** A dependency update ships a newer SDK: from one moment after the learning days on, a newer version. */
function sdkUpgrade(key: KeyProfile, calls: Call[], window: Window, rng: Rng): void {
  const upgraded = upgradedUserAgent(key.userAgent, rng);
  if (upgraded === null || window.days <= LEARNING_DAYS + 1) return;
  const from = window.startMs + rng.int(LEARNING_DAYS, window.days - 1) * DAY_MS + rng.int(8 * 60, 16 * 60) * MINUTE_MS;
  for (const c of calls) {
    if (c.ms < from || !c.userAgent.includes(key.userAgent)) continue;
    c.userAgent = c.userAgent.replace(key.userAgent, upgraded);
    c.behaviour ??= 'sdk_upgrade';
  }
}
