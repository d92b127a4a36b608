import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EcsAlert, renderAlert } from '@keywatch/alerts';
import { elasticsearchDocument, pagerDutyTrigger, slackAlertMessage } from '@keywatch/destinations';
import { withDefaults } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import { createEmbeddedPipeline, type DeadLetterRecord } from '@keywatch/pipeline';
import { EMPTY_REGISTRY } from '@keywatch/registry';
import { readRecords } from '@keywatch/sources';
import { AlertJournal, KeyHistory, loadFingerprintKey, SqliteProfileStore } from '@keywatch/state';
import { describe, expect, it } from 'vitest';
import { tempDir } from './cli.ts';
import { cloudTrailRecord } from './trail.ts';

/**
 * Every secret shape (gitleaks' default rules and the gaps of issue 11) planted in every position of a
 * CloudTrail record (and of lines that are not valid JSON) goes through the embedded pipeline with a
 * state file: the secret appears in no alert, no dead letter, not in the state, not in the terminal
 * rendering and not in the Elasticsearch, Slack or PagerDuty payloads; every record that becomes an
 * event raises `secret_in_logs`.
 */

// Assembled at run time so that this file does not look like a leak to secret scanners.
const chars = (n: number, seed: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') => {
  let s = '';
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += alphabet[x % alphabet.length];
  }
  return s;
};
const SHAPES: Record<string, (seed: number) => string> = {
  aws_secret_in_csv: (s) => `AKIAEXAMPLEKEY0000${String(s % 100).padStart(2, '0')},${chars(20, s)}/${chars(19, s + 1)}`,
  github_pat: (s) => `${'ghp'}_${chars(36, s)}`,
  gitlab_pat: (s) => `${'glpat'}-${chars(20, s)}`,
  npm: (s) => `${'npm'}_${chars(36, s)}`,
  pypi: (s) => `${'pypi'}-AgEIcHlwaS5vcmc${chars(60, s)}`,
  slack: (s) => `${'xoxb'}-${chars(12, s, '0123456789')}-${chars(24, s + 1)}`,
  slack_webhook: (s) => `https://hooks.slack.com/services/T${chars(8, s)}/B${chars(8, s + 1)}/${chars(24, s + 2)}`,
  stripe: (s) => `${'sk'}_${'live'}_${chars(24, s)}`,
  twilio: (s) => `${'SK'}${chars(32, s, '0123456789abcdef')}`,
  sendgrid: (s) => `${'SG'}.${chars(22, s)}.${chars(43, s + 1)}`,
  google: (s) => `${'AIza'}${chars(35, s)}`,
  azure_conn: (s) =>
    `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${chars(86, s)}==;EndpointSuffix=core.windows.net`,
  jwt: (s) => `eyJ${chars(20, s)}.eyJ${chars(30, s + 1)}.${chars(43, s + 2)}`,
  private_key: (s) => `-----BEGIN RSA PRIVATE KEY-----\n${chars(64, s)}\n-----END RSA PRIVATE KEY-----`,
  url_password: (s) => `postgres://app:${chars(12, s)}@db.internal:5432/app`,
  query_pwd: (s) => `/login?user=bob&pwd=${chars(5, s)}`,
  // Letters no hex id holds: a short value must not match an alert id or fingerprint by chance.
  short_bearer: (s) => `Bearer ${chars(4, s, 'ghijkmnpqrstuvwxyz')}${chars(2, s, '0123456789')}`,
  password_assignment: (s) => `password=${chars(6, s)}`,
};
/** What must not survive: the part of the planted text that is secret. */
function secretPart(shape: string, text: string): string {
  if (shape === 'private_key') return text.split('\n')[1]!;
  if (shape === 'aws_secret_in_csv') return text.split(',')[1]!;
  if (shape === 'azure_conn') return /AccountKey=([^;]+)/.exec(text)![1]!;
  if (shape === 'url_password') return /app:([^@]+)@/.exec(text)![1]!;
  if (shape === 'query_pwd') return text.split('pwd=')[1]!;
  if (shape === 'short_bearer') return text.slice('Bearer '.length);
  if (shape === 'password_assignment') return text.slice('password='.length);
  return text;
}

const base = (i: number, shape: string): Record<string, unknown> =>
  cloudTrailRecord(
    {
      time: '2026-03-09T10:00:00Z',
      ip: '3.64.1.10',
      action: 's3:PutObject',
      readOnly: false,
      userAgent: 'aws-sdk-go/1.44.0',
      requestParameters: { bucketName: 'reports', key: 'daily.csv' },
      id: `planted-${shape}-${i}`,
    },
    `AKIAPLANTED${String(i).padStart(9, '0')}`,
  );

type Position = (r: Record<string, unknown>, secret: string) => void;
const set =
  (path: string): Position =>
  (r, secret) => {
    const keys = path.split('.');
    let o = r as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) {
      if (typeof o[k] !== 'object' || o[k] === null) o[k] = {};
      o = o[k] as Record<string, unknown>;
    }
    o[keys.at(-1)!] = secret;
  };
const deep =
  (levels: number): Position =>
  (r, secret) => {
    let v: unknown = { note: secret };
    for (let i = 0; i < levels; i++) v = { level: v };
    r.requestParameters = { ...(r.requestParameters as object), nested: v };
  };
/** Positions in a CloudTrail record that becomes an event: the secret must raise secret_in_logs. */
const EVENT_POSITIONS: Record<string, Position> = {
  userAgent: (r, s) => {
    r.userAgent = `aws-cli/2.15 ${s}`;
  },
  'requestParameters value': set('requestParameters.bucketName'),
  'requestParameters text': (r, s) => {
    (r.requestParameters as Record<string, unknown>).comment = `deploy with ${s} done`;
  },
  'requestParameters nested': set('requestParameters.a.b.c.d.e'),
  'requestParameters array': (r, s) => {
    (r.requestParameters as Record<string, unknown>).list = ['x', s, 'y'];
  },
  'requestParameters as JSON text': (r, s) => {
    r.requestParameters = JSON.stringify({ bucketName: 'reports', body: s });
  },
  'JSON text inside a string field': (r, s) => {
    (r.requestParameters as Record<string, unknown>).policy = JSON.stringify({ Statement: [{ Sid: s }] });
  },
  'object key': (r, s) => {
    (r.requestParameters as Record<string, unknown>)[s] = 'x';
  },
  'responseElements value': set('responseElements.result'),
  'additionalEventData value': set('additionalEventData.note'),
  errorMessage: set('errorMessage'),
  errorCode: set('errorCode'),
  'resources ARN': (r, s) => {
    r.resources = [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::reports/${s}` }];
  },
  'S3 tag Value': (r, s) => {
    (r.requestParameters as Record<string, unknown>).Tagging = { TagSet: { Tag: [{ Key: 'note', Value: s }] } };
  },
  'EC2 tag value': (r, s) => {
    (r.requestParameters as Record<string, unknown>).tagSpecificationSet = { items: [{ tags: [{ key: 'note', value: s }] }] };
  },
  'environment variable value': (r, s) => {
    (r.requestParameters as Record<string, unknown>).environment = [{ name: 'NOTE', value: s }];
  },
  'CloudFormation parameter': (r, s) => {
    (r.requestParameters as Record<string, unknown>).parameters = [{ ParameterKey: 'Note', ParameterValue: s }];
  },
  'Lambda environment': set('requestParameters.environment.variables.NOTE'),
  eventName: set('eventName'),
  eventSource: set('eventSource'),
  awsRegion: set('awsRegion'),
  sourceIPAddress: set('sourceIPAddress'),
  eventID: set('eventID'),
  requestID: set('requestID'),
  recipientAccountId: set('recipientAccountId'),
  'userIdentity.arn': set('userIdentity.arn'),
  'userIdentity.userName': set('userIdentity.userName'),
  'sessionContext issuer': set('userIdentity.sessionContext.sessionIssuer.userName'),
  'tlsDetails host': set('tlsDetails.clientProvidedHostHeader'),
  vpcEndpointId: set('vpcEndpointId'),
  serviceEventDetails: set('serviceEventDetails.note'),
  'credential field (accessKeyId)': set('userIdentity.accessKeyId'),
  'deeper than 64 levels': deep(70),
};
/** Lines that never become an event: only redaction is checked (dead letters). */
const LINE_POSITIONS: Record<string, (i: number, shape: string, secret: string) => string> = {
  'invalid JSON line': (i, shape, s) => `${JSON.stringify(base(i, shape)).slice(0, -1)}, "note": ${JSON.stringify(s)}, oops}`,
  'JSON nested in a string on an invalid line': (i, _shape, s) =>
    `{"eventID": "x-${i}", "requestParameters": ${JSON.stringify(JSON.stringify({ note: s }))}, broken`,
  'token cut at the end of a truncated line': (i, shape, s) =>
    `${JSON.stringify({ ...base(i, shape), note: `deploy with ${s}` }).slice(0, -3 - Math.floor(s.length / 2))}`,
  'record of no known format': (_i, _shape, s) => JSON.stringify({ something: 'else', note: s }),
  'eventTime (dead-lettered)': (i, shape, s) => JSON.stringify({ ...base(i, shape), eventTime: s }),
};

describe('planted secrets in every record position', () => {
  it(`never survive: ${Object.keys(SHAPES).length} shapes × ${Object.keys(EVENT_POSITIONS).length + Object.keys(LINE_POSITIONS).length} positions`, () => {
    const dir = tempDir();
    const statePath = join(dir, 'state.db');
    const store = new SqliteProfileStore(statePath);
    const journal = new AlertJournal(statePath);
    const history = new KeyHistory(statePath);
    const alerts: EcsAlert[] = [];
    const dead: DeadLetterRecord[] = [];
    const pipeline = createEmbeddedPipeline(
      { format: 'auto', fingerprintKey: loadFingerprintKey(statePath) },
      {
        geo: createGeoLookup(),
        registry: EMPTY_REGISTRY,
        store,
        history,
        options: withDefaults({ learning: { minEvents: 0, minDays: 0 } }),
      },
      {
        alert: (a) => {
          alerts.push(a);
          journal.record(a);
        },
        alertUpdate: (a) => journal.update(a),
        deadLetter: (d) => dead.push(d),
      },
    );

    const planted: { secret: string; where: string; eventId: string | null }[] = [];
    const lines: string[] = [];
    let i = 0;
    for (const [shape, make] of Object.entries(SHAPES)) {
      for (const [position, put] of Object.entries(EVENT_POSITIONS)) {
        const text = make(++i);
        const record = base(i, shape);
        put(record, text);
        lines.push(JSON.stringify(record));
        const eventId = position === 'eventID' ? null : String(record.eventID);
        planted.push({ secret: secretPart(shape, text), where: `${shape} in ${position}`, eventId });
      }
      for (const [position, line] of Object.entries(LINE_POSITIONS)) {
        const text = make(++i);
        lines.push(line(i, shape, text));
        const secret = secretPart(shape, text);
        // A cut token: what is left of it is what must not survive.
        const left = position.startsWith('token cut') ? secret.slice(0, Math.max(4, Math.floor(secret.length / 2) - 4)) : secret;
        planted.push({ secret: left, where: `${shape} in ${position}`, eventId: null });
      }
    }
    for (const r of readRecords(lines.join('\n'))) {
      pipeline.push(r.error !== undefined ? { error: r.error, raw: r.raw } : { value: r.value }, {
        file: 'planted',
        line: r.line,
      });
    }
    pipeline.finish();
    store.close();
    journal.close();
    history.close();

    const secretAlerts = new Set(
      alerts.filter((a) => a.rule.id === 'secret_in_logs').flatMap((a) => a.keywatch.evidence.event_ids),
    );
    const outputs = [
      JSON.stringify(alerts),
      JSON.stringify(dead),
      alerts.map((a) => renderAlert(a, false)).join('\n'),
      JSON.stringify(alerts.map((a) => slackAlertMessage(a))),
      JSON.stringify(alerts.map((a) => pagerDutyTrigger(a, 'routing-key'))),
      JSON.stringify(alerts.map((a) => elasticsearchDocument(a, 'default', new Date(0)))),
      ...readdirSync(dir).map((f) => readFileSync(join(dir, f), 'latin1')),
    ].join('\n');

    const leaked = planted.filter((p) => outputs.includes(p.secret)).map((p) => p.where);
    expect(leaked).toEqual([]);
    const silent = planted.filter((p) => p.eventId !== null && !secretAlerts.has(p.eventId)).map((p) => p.where);
    expect(silent).toEqual([]);
    expect(dead.length).toBeGreaterThanOrEqual(Object.keys(SHAPES).length * Object.keys(LINE_POSITIONS).length);
  }, 300_000);
});
