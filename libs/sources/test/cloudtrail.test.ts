import { describe, expect, it } from 'vitest';
import { normalizeRecord } from '../src/index.ts';
import { expectNoSecret, FAKE, onlyEvent } from './helpers.ts';

const cloudtrail = { format: 'cloudtrail' } as const;

/** The synthetic record of the reference (audit-log-formats.md §a). */
function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEPRINCIPAL1',
      arn: 'arn:aws:iam::111122223333:user/report-bot',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLEKEY000001',
      userName: 'report-bot',
    },
    eventTime: '2026-03-04T02:17:09Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'DeleteBucket',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0 Python/3.11 Linux/6.1',
    errorCode: 'AccessDenied',
    errorMessage: 'Access Denied',
    requestParameters: { bucketName: 'example-reports' },
    responseElements: null,
    requestID: 'EXAMPLEREQ0001',
    eventID: '00000000-0000-4000-8000-000000000001',
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    ...overrides,
  };
}

describe('CloudTrail adapter', () => {
  it('maps a trail file record to the canonical event', () => {
    expect(onlyEvent(normalizeRecord({ Records: [record()] }, cloudtrail))).toEqual({
      id: '00000000-0000-4000-8000-000000000001',
      time: '2026-03-04T02:17:09.000Z',
      provider: 'aws',
      source: 'cloudtrail',
      credentialId: 'AKIAEXAMPLEKEY000001',
      principal: 'arn:aws:iam::111122223333:user/report-bot',
      credentialKind: 'key',
      identity: 'arn:aws:iam::111122223333:user/report-bot',
      account: '111122223333',
      sourceIp: '203.0.113.7',
      sourceAddress: null,
      userAgent: 'aws-cli/2.15.0 Python/3.11 Linux/6.1',
      action: 's3:DeleteBucket',
      resource: 'example-reports',
      accessClass: 'write',
      outcome: 'failure',
      errorCode: 'AccessDenied',
      region: 'eu-west-1',
      secrets: [],
    });
  });

  it('keeps the good records of a trail file when one is bad', () => {
    const result = normalizeRecord(
      { Records: [record(), { eventName: 'GetObject', eventTime: '2026-03-04T02:17:09Z' }, 'junk', record({ eventID: 'e3' })] },
      cloudtrail,
    );
    expect(result.events.map((e) => e.id)).toEqual(['00000000-0000-4000-8000-000000000001', 'e3']);
    expect(result.deadLetters.map((d) => [d.reason, d.message])).toEqual([
      ['no_credential', 'Records[1]: userIdentity: no accessKeyId, arn or principalId'],
      ['invalid_field', 'Records[2]: (record): must be a JSON object'],
    ]);
  });

  it('unwraps an EventBridge event and refuses non-CloudTrail detail types', () => {
    const envelope = {
      version: '0',
      id: 'eb-1',
      source: 'aws.s3',
      account: '111122223333',
      region: 'eu-west-1',
      time: '2026-03-04T02:17:10Z',
    };
    const event = onlyEvent(
      normalizeRecord({ ...envelope, 'detail-type': 'AWS API Call via CloudTrail', detail: record() }, cloudtrail),
    );
    expect(event.action).toBe('s3:DeleteBucket');
    const other = normalizeRecord(
      { ...envelope, 'detail-type': 'EC2 Instance State-change Notification', detail: {} },
      cloudtrail,
    );
    expect(other.deadLetters.map((d) => d.reason)).toEqual(['unsupported_event']);
  });

  it('unwraps a CloudWatch Logs subscription payload, message by message', () => {
    const payload = {
      messageType: 'DATA_MESSAGE',
      owner: '111122223333',
      logGroup: 'aws-cloudtrail-logs',
      logStream: '111122223333_CloudTrail_eu-west-1',
      subscriptionFilters: ['keywatch'],
      logEvents: [
        { id: '1', timestamp: 1772590629000, message: JSON.stringify(record({ eventID: 'm1' })) },
        { id: '2', timestamp: 1772590629000, message: `{"broken": "${FAKE.githubPat}` },
        { id: '3', timestamp: 1772590629000, message: JSON.stringify(record({ eventID: 'm3', readOnly: true })) },
      ],
    };
    const result = normalizeRecord(payload, cloudtrail);
    expect(result.events.map((e) => [e.id, e.accessClass])).toEqual([
      ['m1', 'write'],
      ['m3', 'read'],
    ]);
    expect(result.deadLetters).toHaveLength(1);
    expect(result.deadLetters[0]).toMatchObject({
      reason: 'invalid_json',
      message: expect.stringMatching(/^logEvents\[1\]\.message: invalid JSON/),
    });
    expectNoSecret(result, FAKE.githubPat);
    expect(
      normalizeRecord(
        { messageType: 'CONTROL_MESSAGE', logEvents: [{ id: '', timestamp: 0, message: 'CWL CONTROL MESSAGE' }] },
        cloudtrail,
      ),
    ).toEqual({ events: [], deadLetters: [], skipped: [], incomplete: [], records: 0 });
  });

  it('falls back to a principal-based credential id when the access key id is empty or missing', () => {
    const identity = {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:session',
      arn: 'arn:aws:sts::111122223333:assumed-role/r/session',
    };
    const keyed = (userIdentity: unknown) => onlyEvent(normalizeRecord(record({ userIdentity }), cloudtrail)).credentialId;
    expect(keyed({ ...identity, accessKeyId: '' })).toBe('principal:arn:aws:sts::111122223333:assumed-role/r/session');
    expect(keyed({ type: 'AssumedRole', principalId: 'AROAEXAMPLE:session' })).toBe('principal:AROAEXAMPLE:session');
    const none = normalizeRecord(record({ userIdentity: { type: 'IAMUser', userName: 'alice' } }), cloudtrail);
    expect(none.deadLetters.map((d) => d.reason)).toEqual(['no_credential']);
  });

  it('dead-letters Insight events; counts AWS service records as skipped, not dead-lettered', () => {
    const insight = normalizeRecord(
      { eventVersion: '1.07', eventType: 'AwsCloudTrailInsight', eventCategory: 'Insight', insightDetails: {} },
      cloudtrail,
    );
    expect(insight.deadLetters.map((d) => d.reason)).toEqual(['unsupported_event']);
    const service = normalizeRecord(
      record({ eventType: 'AwsServiceEvent', userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' } }),
      cloudtrail,
    );
    expect(service).toMatchObject({ events: [], deadLetters: [], records: 1 });
    expect(service.skipped).toEqual([
      { reason: 'aws_service_record', message: 'eventType: AwsServiceEvent, an action AWS took itself' },
    ]);
    // A call an AWS service made for the account (EC2 assuming an instance role): no key of the account signed it.
    const serviceCall = normalizeRecord(
      record({ eventName: 'AssumeRole', userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' } }),
      cloudtrail,
    );
    expect(serviceCall.skipped.map((s) => s.message)).toEqual([
      'userIdentity.type: AWSService, a call made by ec2.amazonaws.com',
    ]);
    expect(serviceCall.deadLetters).toEqual([]);
  });

  it('reads CloudTrail shipped by Logstash (@timestamp) and Datadog (network.client.ip, http.useragent, evt.name)', () => {
    const { eventTime: _time, ...withoutTime } = record({});
    const logstash = onlyEvent(
      normalizeRecord({ ...withoutTime, '@timestamp': '2020-09-14T00:44:23.000Z', '@version': '1' }, { format: 'auto' }),
    );
    expect(logstash).toMatchObject({ time: '2020-09-14T00:44:23.000Z', sourceIp: '203.0.113.7' });
    const { sourceIPAddress: _ip, userAgent: _ua, eventName: _name, ...moved } = record({});
    const datadog = normalizeRecord(
      {
        ...moved,
        network: { client: { ip: '62.167.105.104' } },
        http: { useragent: 'aws-cli/2.7.0' },
        evt: { name: 'GetSecretValue' },
      },
      { format: 'auto' },
    );
    expect(onlyEvent(datadog)).toMatchObject({
      sourceIp: '62.167.105.104',
      userAgent: 'aws-cli/2.7.0',
      action: 's3:GetSecretValue',
    });
    expect(datadog.incomplete).toEqual([]);
    const lost = normalizeRecord(moved, cloudtrail);
    expect(lost.deadLetters.map((d) => d.message)).toEqual(['eventName: required (also looked for evt.name)']);
    const noClient = normalizeRecord({ ...moved, eventName: 'ListBuckets' }, cloudtrail);
    expect(noClient.incomplete).toEqual([{ eventId: onlyEvent(noClient).id, missing: ['sourceIp', 'userAgent'] }]);
  });

  it('counts provider records, not containers', () => {
    expect(normalizeRecord({ Records: [record({}), record({ eventID: 'b' }), {}] }, cloudtrail).records).toBe(3);
    expect(normalizeRecord([record({}), record({ eventID: 'b' })], cloudtrail).records).toBe(2);
    expect(normalizeRecord(record({}), cloudtrail).records).toBe(1);
  });

  it.each([
    ['203.0.113.7', '203.0.113.7', null],
    ['2001:db8::7', '2001:db8::7', null],
    ['AWS Internal', null, 'AWS Internal'],
    ['lambda.amazonaws.com', null, 'lambda.amazonaws.com'],
    ['06.237.252.245', null, '06.237.252.245'],
    ['<Attacker source IP>', null, '<Attacker source IP>'],
  ])('puts sourceIPAddress %j in the right field', (sourceIPAddress, sourceIp, sourceAddress) => {
    expect(onlyEvent(normalizeRecord(record({ sourceIPAddress }), cloudtrail))).toMatchObject({ sourceIp, sourceAddress });
  });

  it.each([
    [true, 'read'],
    ['true', 'read'],
    ['True', 'read'],
    [false, 'write'],
    ['false', 'write'],
    [undefined, 'unknown'],
    [42, 'unknown'],
  ])('reads readOnly %j as %s', (readOnly, accessClass) => {
    expect(onlyEvent(normalizeRecord(record({ readOnly }), cloudtrail)).accessClass).toBe(accessClass);
  });

  it('counts only a non-empty errorCode, or a failed console login, as a failure', () => {
    expect(onlyEvent(normalizeRecord(record({ errorCode: '' }), cloudtrail))).toMatchObject({
      outcome: 'success',
      errorCode: null,
    });
    expect(onlyEvent(normalizeRecord(record({ errorCode: undefined }), cloudtrail)).outcome).toBe('success');
    const login = record({
      errorCode: undefined,
      errorMessage: 'Failed authentication',
      eventName: 'ConsoleLogin',
      responseElements: { ConsoleLogin: 'Failure' },
    });
    expect(onlyEvent(normalizeRecord(login, cloudtrail))).toMatchObject({
      outcome: 'failure',
      errorCode: 'Failed authentication',
    });
  });

  it('redacts the session token an AssumeRole response carries, with its path in the input, without an alert', () => {
    const assumeRole = record({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      responseElements: {
        credentials: {
          accessKeyId: 'ASIAEXAMPLEKEY000002',
          sessionToken: FAKE.sessionToken,
          expiration: 'Mar 4, 2026, 3:17:09 AM',
        },
      },
    });
    const result = normalizeRecord({ Records: [record(), assumeRole] }, cloudtrail);
    expect(result.events[1]?.secrets).toEqual([
      {
        kind: 'aws_session_token',
        path: 'Records[1].responseElements.credentials.sessionToken',
        fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/),
        alert: false,
      },
    ]);
    expect(result.events[0]?.secrets).toEqual([]);
    expectNoSecret(result, FAKE.sessionToken);
  });

  it('alerts on a session token anywhere else, and in a record that is not from STS', () => {
    const elsewhere = record({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      requestParameters: { tags: { sessionToken: FAKE.sessionToken } },
    });
    const notSts = record({
      eventSource: 'lambda.amazonaws.com',
      eventName: 'UpdateFunctionConfiguration',
      responseElements: { credentials: { sessionToken: FAKE.sessionToken } },
    });
    for (const r of [elsewhere, notSts]) {
      const [secret] = normalizeRecord(r, cloudtrail).events[0]?.secrets ?? [];
      expect(secret?.kind).toBe('aws_session_token');
      expect(secret?.alert).toBeUndefined();
    }
  });

  it('decodes requestParameters given as a JSON string, so secrets inside are found by key', () => {
    const params = JSON.stringify({ roleName: 'deployer', password: 'Hunter2-Hunter2' });
    const event = onlyEvent(normalizeRecord(record({ requestParameters: params }), cloudtrail));
    expect(event.resource).toBe('deployer');
    expect(event.secrets.map((s) => [s.kind, s.path])).toEqual([['password', 'requestParameters.password']]);
  });

  it('reads the lower-cased field names some exports use', () => {
    const lower = {
      awsregion: 'us-east-1',
      eventid: 'abc-123',
      eventname: 'GetAccountPasswordPolicy',
      eventsource: 'iam.amazonaws.com',
      eventtime: '2023-01-10 23:10:06',
      eventtype: 'AwsApiCall',
      useridentity: { arn: 'arn:aws:iam::111122223333:user/x', accesskeyid: 'AKIAEXAMPLEKEY000003' },
    };
    expect(onlyEvent(normalizeRecord(lower, cloudtrail))).toMatchObject({
      id: 'abc-123',
      credentialId: 'AKIAEXAMPLEKEY000003',
      action: 'iam:GetAccountPasswordPolicy',
      time: '2023-01-10T23:10:06.000Z',
      region: 'us-east-1',
    });
  });

  it('gives records without eventID a deterministic id', () => {
    const a = onlyEvent(normalizeRecord(record({ eventID: undefined }), cloudtrail)).id;
    const again = onlyEvent(normalizeRecord(record({ eventID: undefined }), cloudtrail)).id;
    const other = onlyEvent(normalizeRecord(record({ eventID: undefined, eventName: 'ListBuckets' }), cloudtrail)).id;
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(again).toBe(a);
    expect(other).not.toBe(a);
  });

  it('caps copied strings at 1024 characters and survives wrong types', () => {
    const huge = onlyEvent(normalizeRecord(record({ userAgent: 'A'.repeat(1024 * 1024) }), cloudtrail));
    expect(huge.userAgent).toHaveLength(1024);
    // Composed fields too: `s3:` + a 2000-character event name.
    expect(onlyEvent(normalizeRecord(record({ eventName: 'N'.repeat(2000) }), cloudtrail)).action).toHaveLength(1024);
    const wrong = normalizeRecord(record({ eventName: 42, userIdentity: 'AKIA', eventTime: { at: 1 } }), cloudtrail);
    expect(wrong.events).toEqual([]);
    expect(wrong.deadLetters.map((d) => d.reason)).toEqual(['no_credential']);
    const badTime = normalizeRecord(record({ eventTime: 'yesterday' }), cloudtrail);
    expect(badTime.deadLetters.map((d) => d.message)).toEqual(['eventTime: not a date: "yesterday"']);
    const noName = normalizeRecord(record({ eventName: 42 }), cloudtrail);
    expect(noName.deadLetters.map((d) => d.message)).toEqual(['eventName: required (also looked for evt.name)']);
  });

  it('names the identity behind the credential: the role and session of a role session, the user of a user session', () => {
    const roleSession = onlyEvent(
      normalizeRecord(
        record({
          userIdentity: {
            type: 'AssumedRole',
            principalId: 'AROAEXAMPLEROLE:i-0dbc91f429e48eeed',
            arn: 'arn:aws:sts::111122223333:assumed-role/web-role/i-0dbc91f429e48eeed',
            accessKeyId: 'ASIAEXAMPLESESSION01',
            sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/app/web-role' } },
          },
        }),
        cloudtrail,
      ),
    );
    expect(roleSession).toMatchObject({
      credentialId: 'ASIAEXAMPLESESSION01',
      credentialKind: 'role_session',
      identity: 'arn:aws:iam::111122223333:role/app/web-role',
      session: 'i-0dbc91f429e48eeed',
    });
    // Without sessionContext the role comes from the assumed-role ARN (its path is not in there).
    const bare = onlyEvent(
      normalizeRecord(
        record({
          userIdentity: { arn: 'arn:aws:sts::111122223333:assumed-role/web-role/botocore-session-1', accessKeyId: 'ASIAX' },
        }),
        cloudtrail,
      ),
    );
    expect(bare).toMatchObject({
      credentialKind: 'role_session',
      identity: 'arn:aws:iam::111122223333:role/web-role',
      session: 'botocore-session-1',
    });
    const consoleSession = onlyEvent(
      normalizeRecord(
        record({
          userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accessKeyId: 'ASIACONSOLE000000001' },
        }),
        cloudtrail,
      ),
    );
    expect(consoleSession).toMatchObject({ credentialKind: 'user_session', identity: 'arn:aws:iam::111122223333:user/alice' });
    const noKey = onlyEvent(
      normalizeRecord(record({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice' } }), cloudtrail),
    );
    expect(noKey).toMatchObject({ credentialId: 'principal:arn:aws:iam::111122223333:user/alice', credentialKind: 'principal' });
  });
});
