import { existsSync, readFileSync } from 'node:fs';
import type { CanonicalEvent } from '@keywatch/event';
import { describe, expect, it } from 'vitest';
import { type NormalizeResult, normalizeLine } from '../src/index.ts';

/**
 * Conformance over Panther's public test fixtures (../shared/corpora/panther, read in place, Apache-2.0):
 * hand-written, partly minimal records in real-world shapes. The counts below are pinned: a change in
 * them is a change in behaviour to be looked at, not noise.
 */

const CORPUS = new URL('../../../../shared/corpora/panther/', import.meta.url);
const present = existsSync(CORPUS);
if (!present)
  console.log(
    "Panther corpus: skipped, ../shared/corpora/panther (Panther's public rule-test fixtures, Apache-2.0) is not next to this clone; development and CI checkouts have it, see README.md, Development",
  );

function normalizeFile(file: string, format: 'cloudtrail' | 'gcp-audit' | 'github-audit'): NormalizeResult[] {
  if (!present) return [];
  return readFileSync(new URL(file, CORPUS), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => normalizeLine(line, { format }));
}

function tally(results: NormalizeResult[]) {
  const deadLetters: Record<string, number> = {};
  for (const r of results) for (const d of r.deadLetters) deadLetters[d.reason] = (deadLetters[d.reason] ?? 0) + 1;
  const skipped = results.reduce((n, r) => n + r.skipped.length, 0);
  return { lines: results.length, events: results.reduce((n, r) => n + r.events.length, 0), deadLetters, skipped };
}

function only(result: NormalizeResult | undefined): CanonicalEvent {
  expect(result?.deadLetters).toEqual([]);
  expect(result?.events).toHaveLength(1);
  return result?.events[0] as CanonicalEvent;
}

function expectEveryLineAccountedFor(results: NormalizeResult[]): void {
  for (const r of results) {
    expect(r.events.length + r.deadLetters.length + r.skipped.length).toBe(r.records);
    for (const d of r.deadLetters) expect(d.message).not.toBe('');
  }
}

describe.skipIf(!present)('Panther corpus: AWS CloudTrail', () => {
  const results = normalizeFile('aws_cloudtrail.ndjson', 'cloudtrail');

  it('accounts for every line with pinned counts', () => {
    expectEveryLineAccountedFor(results);
    expect(tally(results)).toEqual({
      lines: 445,
      events: 401,
      // no_credential: fixtures whose userIdentity has neither accessKeyId nor arn/principalId (or is
      // missing); invalid_field: eventTime missing (3) or a placeholder ("redacted", "...");
      // empty_record: the `{}` line 442. Skipped: AwsServiceEvent records (3) and one AWSService call.
      deadLetters: { no_credential: 34, invalid_field: 5, empty_record: 1 },
      skipped: 4,
    });
    expect(results[442]?.deadLetters[0]?.reason).toBe('empty_record');
    expect(results[443]?.deadLetters[0]?.reason).toBe('no_credential'); // {"eventType":"logout"}
  });

  it('maps an IAM user key call', () => {
    expect(only(results[0])).toMatchObject({
      id: '1',
      time: '2019-01-01T00:00:00.000Z',
      credentialId: 'AKIAI123456789EXAMPLE',
      principal: 'arn:aws:iam::123456789012:user/john.developer',
      account: '123456789012',
      sourceIp: '203.0.113.50',
      sourceAddress: null,
      action: 'lambda:UpdateFunctionConfiguration20150331v2',
      accessClass: 'write',
      outcome: 'success',
      region: 'us-west-2',
    });
  });

  it('keeps non-IP source addresses out of sourceIp', () => {
    expect(only(results[28])).toMatchObject({ sourceIp: null, sourceAddress: 'AWS Internal', time: '2022-09-15T13:45:24.000Z' });
    expect(only(results[85])).toMatchObject({
      sourceIp: null,
      sourceAddress: 'cloudformation.amazonaws.com',
      credentialId: 'principal:arn:aws:sts::123412341234:assumed-role/PantherAuditRole-us-east-1/12341234123412341234',
      accessClass: 'read',
    });
    // A leading zero makes it an invalid IPv4 for strict parsers: kept as logged, not geolocated.
    expect(only(results[92])).toMatchObject({
      sourceIp: null,
      sourceAddress: '06.237.252.245',
      action: 'ec2:RunInstances',
      outcome: 'failure',
      errorCode: 'Client.UnauthorizedOperation',
    });
  });

  it('reads failures, Panther time formats, lower-cased names and string booleans', () => {
    expect(only(results[21])).toMatchObject({
      credentialId: 'SAMPLE_ACCESS_KEY',
      action: 'organizations:LeaveOrganization',
      outcome: 'failure',
      errorCode: 'AccessDenied',
      time: '2025-01-20T15:59:33.000Z',
    });
    expect(only(results[30])).toMatchObject({
      credentialId: 'principal:arn:aws:test_arn',
      action: 'dynamodb:GetRecords',
      time: '2023-01-10T21:04:02.000Z',
      region: 'eu-west-1',
      accessClass: 'unknown',
    });
    expect(only(results[101])).toMatchObject({ accessClass: 'read' });
  });

  it('redacts the session token an AssumeRole response carries', () => {
    const event = only(results[101]);
    expect(event.secrets).toEqual([
      {
        kind: 'aws_session_token',
        path: 'responseElements.credentials.sessionToken',
        fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/),
        alert: false,
      },
    ]);
    expect(JSON.stringify(results[101])).not.toContain('SampleSessionToken');
  });
});

describe.skipIf(!present)('Panther corpus: GCP audit logs', () => {
  const results = normalizeFile('gcp_audit.ndjson', 'gcp-audit');

  it('accounts for every line with pinned counts', () => {
    expectEveryLineAccountedFor(results);
    expect(tally(results)).toEqual({
      lines: 196,
      events: 126,
      skipped: 0,
      // invalid_field: no timestamp anywhere (37), a "..." receiveTimestamp (1), no methodName (2);
      // no_credential: no serviceAccountKeyName, principalEmail or principalSubject (minimal fixtures).
      deadLetters: { invalid_field: 40, no_credential: 30 },
    });
  });

  it('keys service-account calls by key name, others by principal', () => {
    expect(only(results[12])).toMatchObject({
      credentialId:
        '//iam.googleapis.com/projects/some-project/serviceAccounts/whodoneit@some-project.iam.gserviceaccount.com/keys/123er456788',
      principal: 'whodoneit@some-project.iam.gserviceaccount.com',
      account: 'some-project',
      sourceIp: '189.163.74.177',
      action: 'cloudbuild.googleapis.com:google.devtools.cloudbuild.v1.CloudBuild.CreateBuild',
      accessClass: 'write',
      outcome: 'success',
      region: 'global',
    });
    expect(only(results[0])).toMatchObject({
      credentialId: 'principal:user1@company.io',
      time: '2023-03-08T18:52:52.114Z',
      sourceIp: '1.2.3.4',
      action: 'compute.googleapis.com:v1.compute.subnetworks.patch',
      accessClass: 'write',
      region: 'us-central1',
    });
  });

  it('reads status codes as failures and permission types as read/write', () => {
    expect(only(results[1])).toMatchObject({
      action: 'storage.googleapis.com:google.storage.objects.get',
      accessClass: 'read',
      outcome: 'failure',
      errorCode: '7',
      time: '2023-03-09T16:28:40.890Z',
    });
  });

  it('keeps gce-internal-ip out of sourceIp and accepts IPv6 callers', () => {
    expect(only(results[71])).toMatchObject({
      sourceIp: null,
      sourceAddress: 'gce-internal-ip',
      principal: 'example_principal_subject',
    });
    expect(only(results[128])).toMatchObject({
      sourceIp: '07da:0994:97fb:8db1:c68f:c109:fcdd:d594',
      account: 'organizations/123456789012',
      accessClass: 'write',
    });
  });

  it('reads the lower-case export spelling (protopayload, insertid, logname)', () => {
    expect(only(results[29])).toMatchObject({
      credentialId: 'principal:user@company.io',
      action: 'bigquery.googleapis.com:google.cloud.bigquery.v2.JobService.InsertJob',
      time: '2023-03-28T18:37:06.079Z',
      id: expect.stringMatching(/^abcdefghijklmn\.[0-9a-f]{8}$/),
    });
  });
});

describe.skipIf(!present)('Panther corpus: GitHub audit log', () => {
  const results = normalizeFile('github_audit.ndjson', 'github-audit');

  it('accounts for every line with pinned counts', () => {
    expectEveryLineAccountedFor(results);
    expect(tally(results)).toEqual({
      lines: 98,
      events: 63,
      skipped: 0,
      // invalid_field: no timestamp at all (29) or the malformed `2024-12-17 00:00:00000000` (4);
      // no_credential: no token and no actor (a bare action, and a git.push with actor "").
      deadLetters: { invalid_field: 33, no_credential: 2 },
    });
  });

  it('keys token calls by token id and reads the IP', () => {
    expect(only(results[61])).toMatchObject({
      id: 'KCYtigpnShPBSohA4OXbRg==',
      credentialId: 'token:0123456789',
      principal: 'acme-inc-user',
      sourceIp: '5.6.7.8',
      action: 'git.clone',
      accessClass: 'read',
      time: '2023-11-20T21:20:09.423Z',
    });
    expect(only(results[88])).toMatchObject({
      credentialId: 'token:1111111111111',
      accessClass: 'write',
      time: '2025-10-15T18:45:47.048Z',
    });
  });

  it('falls back to the actor and reads epoch-ms and string times', () => {
    expect(only(results[0])).toMatchObject({
      credentialId: 'principal:cat',
      time: '2021-05-18T02:31:58.553Z',
      action: 'protected_branch.destroy',
      accessClass: 'unknown',
      outcome: 'success',
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(only(results[10])).toMatchObject({ sourceIp: '12.12.12.12', time: '2022-12-15T13:31:51.111Z', accessClass: 'write' });
    expect(only(results[1])).toMatchObject({ time: '2023-01-31T18:58:27.638Z', account: 'panther-labs' });
  });

  it('dead-letters malformed dates naming the field', () => {
    expect(results[48]?.deadLetters[0]).toMatchObject({
      reason: 'invalid_field',
      message: 'created_at: not a date: "2024-12-17 00:00:00000000"',
    });
  });
});
