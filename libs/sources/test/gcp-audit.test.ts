import { describe, expect, it } from 'vitest';
import { normalizeRecord } from '../src/index.ts';
import { onlyEvent } from './helpers.ts';

const gcp = { format: 'gcp-audit' } as const;
const KEY =
  '//iam.googleapis.com/projects/example-proj/serviceAccounts/ci-bot@example-proj.iam.gserviceaccount.com/keys/0123abcdexample';

/** The synthetic entry of the reference (audit-log-formats.md §b). */
function entry(payload: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    logName: 'projects/example-proj/logs/cloudaudit.googleapis.com%2Fdata_access',
    insertId: 'ex1a2b3c',
    timestamp: '2026-03-04T02:17:09.123456Z',
    receiveTimestamp: '2026-03-04T02:17:10.0Z',
    severity: 'INFO',
    resource: {
      type: 'gcs_bucket',
      labels: { project_id: 'example-proj', bucket_name: 'example-bucket', location: 'europe-west1' },
    },
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      status: {},
      authenticationInfo: { principalEmail: 'ci-bot@example-proj.iam.gserviceaccount.com', serviceAccountKeyName: KEY },
      requestMetadata: { callerIp: '198.51.100.23', callerSuppliedUserAgent: 'google-cloud-sdk gcloud/460.0.0' },
      serviceName: 'storage.googleapis.com',
      methodName: 'storage.objects.get',
      authorizationInfo: [
        {
          resource: 'projects/_/buckets/example-bucket/objects/report.csv',
          permission: 'storage.objects.get',
          granted: true,
          permissionType: 'DATA_READ',
        },
      ],
      resourceName: 'projects/_/buckets/example-bucket/objects/report.csv',
      ...payload,
    },
    ...overrides,
  };
}

describe('GCP audit adapter', () => {
  it('maps an audit log entry to the canonical event', () => {
    expect(onlyEvent(normalizeRecord(entry(), gcp))).toEqual({
      id: expect.stringMatching(/^ex1a2b3c\.[0-9a-f]{8}$/),
      time: '2026-03-04T02:17:09.123Z',
      provider: 'gcp',
      source: 'gcp-audit',
      credentialId: KEY,
      principal: 'ci-bot@example-proj.iam.gserviceaccount.com',
      credentialKind: 'key',
      identity: 'ci-bot@example-proj.iam.gserviceaccount.com',
      account: 'example-proj',
      sourceIp: '198.51.100.23',
      sourceAddress: null,
      userAgent: 'google-cloud-sdk gcloud/460.0.0',
      action: 'storage.googleapis.com:storage.objects.get',
      resource: 'projects/_/buckets/example-bucket/objects/report.csv',
      accessClass: 'read',
      outcome: 'success',
      errorCode: null,
      region: 'europe-west1',
      secrets: [],
    });
  });

  it('keys callers without a service-account key by principal', () => {
    const event = onlyEvent(normalizeRecord(entry({ authenticationInfo: { principalEmail: 'dev@example.com' } }), gcp));
    expect(event.credentialId).toBe('principal:dev@example.com');
    const none = normalizeRecord(entry({ authenticationInfo: {} }), gcp);
    expect(none.deadLetters.map((d) => d.reason)).toEqual(['no_credential']);
  });

  it.each([
    ['private', null, 'private'],
    ['gce-internal-ip', null, 'gce-internal-ip'],
    ['2001:db8::23', '2001:db8::23', null],
  ])('puts callerIp %j in the right field', (callerIp, sourceIp, sourceAddress) => {
    expect(onlyEvent(normalizeRecord(entry({ requestMetadata: { callerIp } }), gcp))).toMatchObject({ sourceIp, sourceAddress });
  });

  it("reads Panther's callerIP spelling and at_sign_type", () => {
    const event = onlyEvent(normalizeRecord(entry({ requestMetadata: { callerIP: '203.0.113.9' }, at_sign_type: 'x' }), gcp));
    expect(event.sourceIp).toBe('203.0.113.9');
  });

  it('reads a failed call from status.code', () => {
    const event = onlyEvent(normalizeRecord(entry({ status: { code: 7, message: 'PERMISSION_DENIED' } }), gcp));
    expect(event).toMatchObject({ outcome: 'failure', errorCode: '7' });
    expect(onlyEvent(normalizeRecord(entry({ status: { code: 0 } }), gcp)).outcome).toBe('success');
  });

  it('decides read/write from permission types, then the log, then the method verb', () => {
    const classOf = (payload: Record<string, unknown>, logName?: string) =>
      onlyEvent(normalizeRecord(entry(payload, logName === undefined ? {} : { logName }), gcp)).accessClass;
    expect(classOf({ authorizationInfo: [{ permissionType: 'DATA_READ' }, { permissionType: 'ADMIN_WRITE' }] })).toBe('write');
    expect(classOf({ authorizationInfo: [{ permissionType: 'ADMIN_READ' }] })).toBe('read');
    expect(
      classOf({ authorizationInfo: [], methodName: 'Whatever' }, 'projects/p/logs/cloudaudit.googleapis.com%2Factivity'),
    ).toBe('write');
    expect(classOf({ authorizationInfo: undefined, methodName: 'google.iam.admin.v1.ListServiceAccounts' })).toBe('read');
    expect(classOf({ authorizationInfo: undefined, methodName: 'io.k8s.core.v1.pods.exec.create' })).toBe('write');
    expect(classOf({ authorizationInfo: undefined, methodName: 'Frobnicate' })).toBe('unknown');
  });

  it('skips system events: Google acted, not a key', () => {
    const result = normalizeRecord(entry({}, { logName: 'projects/p/logs/cloudaudit.googleapis.com%2Fsystem_event' }), gcp);
    expect(result.deadLetters.map((d) => d.reason)).toEqual(['unsupported_event']);
  });

  it('falls back to the request time, then the receive time, and names the field when all fail', () => {
    const requestTime = entry(
      { requestMetadata: { callerIp: '198.51.100.23', requestAttributes: { time: '2026-03-04T02:17:08.5Z' } } },
      { timestamp: undefined },
    );
    expect(onlyEvent(normalizeRecord(requestTime, gcp)).time).toBe('2026-03-04T02:17:08.500Z');
    expect(onlyEvent(normalizeRecord(entry({}, { timestamp: undefined }), gcp)).time).toBe('2026-03-04T02:17:10.000Z');
    const none = normalizeRecord(entry({}, { timestamp: undefined, receiveTimestamp: undefined }), gcp);
    expect(none.deadLetters.map((d) => d.message)).toEqual([
      'timestamp: required (also looked for requestAttributes.time and receiveTimestamp)',
    ]);
    const bad = normalizeRecord(entry({}, { timestamp: 'soon', receiveTimestamp: undefined }), gcp);
    expect(bad.deadLetters.map((d) => d.message)).toEqual(['timestamp: not a date: "soon"']);
  });

  it('reads region and account from other places when labels lack them', () => {
    const event = onlyEvent(
      normalizeRecord(
        entry(
          { resourceLocation: { currentLocations: ['us-east1'] } },
          { resource: { type: 'x' }, logName: 'organizations/4242/logs/cloudaudit.googleapis.com%2Factivity' },
        ),
        gcp,
      ),
    );
    expect(event).toMatchObject({ region: 'us-east1', account: 'organizations/4242' });
  });

  it('splits an entries.list response and keeps good entries when one is bad', () => {
    const result = normalizeRecord(
      { entries: [entry(), entry({ methodName: undefined }), entry({}, { insertId: 'second' })] },
      gcp,
    );
    expect(result.events).toHaveLength(2);
    expect(result.deadLetters.map((d) => d.message)).toEqual(['entries[1]: protoPayload.methodName: required']);
  });

  it('reads lower-case export spellings', () => {
    const lower = {
      insertid: 'abc',
      logname: 'projects/p1/logs/cloudaudit.googleapis.com%2Fdata_access',
      protopayload: {
        at_sign_type: 'type.googleapis.com/google.cloud.audit.AuditLog',
        authenticationInfo: { principalEmail: 'u@p1.io' },
        methodName: 'jobs.insert',
        serviceName: 'bigquery.googleapis.com',
      },
      receivetimestamp: '2023-03-28 18:37:06.745',
    };
    expect(onlyEvent(normalizeRecord(lower, gcp))).toMatchObject({
      credentialId: 'principal:u@p1.io',
      action: 'bigquery.googleapis.com:jobs.insert',
      time: '2023-03-28T18:37:06.745Z',
      account: 'p1',
    });
  });
});
