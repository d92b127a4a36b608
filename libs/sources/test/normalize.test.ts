import { lineHoldsNoSecret } from '@keywatch/secrets';
import { describe, expect, it } from 'vitest';
import { type GatewayMapping, type InputFormat, normalizeLine, normalizeRecord } from '../src/index.ts';
import { expectNoSecret, FAKE } from './helpers.ts';

const FORMATS: InputFormat[] = ['auto', 'cloudtrail', 'gcp-audit', 'github-audit', 'gateway', 'canonical'];

describe('normalizeLine', () => {
  it('turns invalid JSON into a redacted invalid_json dead letter', () => {
    const result = normalizeLine(`{"Records": [ ${FAKE.githubPat}`, { format: 'cloudtrail' });
    expect(result.events).toEqual([]);
    expect(result.deadLetters.map((d) => d.reason)).toEqual(['invalid_json']);
    expectNoSecret(result, FAKE.githubPat);
  });

  it('ignores a leading BOM (a Kafka message from a Windows shipper) and nothing else', () => {
    const line = JSON.stringify({
      eventVersion: '1.08',
      eventTime: '2026-03-02T09:00:00Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'GetCallerIdentity',
      eventID: 'bom-1',
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0',
      userIdentity: { type: 'IAMUser', accessKeyId: 'AKIAEXAMPLEKEY000001' },
    });
    const plain = normalizeLine(line, { format: 'auto' });
    expect(plain.events).toHaveLength(1);
    expect(normalizeLine(`\ufeff${line}`, { format: 'auto' })).toEqual(plain);
    expect(normalizeLine(`\ufeff\ufeff${line}`, { format: 'auto' }).deadLetters.map((d) => d.reason)).toEqual(['invalid_json']);
  });

  it.each([
    ['{}', 'empty_record'],
    ['[]', 'empty_record'],
    ['null', 'empty_record'],
    ['""', 'empty_record'],
    ['   ', 'empty_record'],
    ['{"Records": []}', 'empty_record'],
  ])('dead-letters %j as %s', (line, reason) => {
    expect(normalizeLine(line, { format: 'cloudtrail' }).deadLetters.map((d) => d.reason)).toEqual([reason]);
  });
});

describe('normalizeLine and the raw-line secret pre-scan', () => {
  const cloudTrail = (extra: object) =>
    JSON.stringify({
      eventVersion: '1.08',
      eventTime: '2026-03-02T09:00:00Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      eventID: 'prescan-1',
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0',
      userIdentity: { type: 'IAMUser', accessKeyId: 'AKIAEXAMPLEKEY000001' },
      ...extra,
    });

  it.each([
    ['a record the pre-scan clears', cloudTrail({}), true],
    [
      'an STS session token (routine)',
      cloudTrail({ responseElements: { credentials: { sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE0000' } } }),
      false,
    ],
    ['a token in a value', cloudTrail({ requestParameters: { note: `see ${FAKE.githubPat}` } }), false],
  ])('gives what the walk gives: %s', (_, line, clears) => {
    expect(lineHoldsNoSecret(line)).toBe(clears);
    expect(normalizeLine(line, { format: 'auto' })).toEqual(normalizeRecord(JSON.parse(line), { format: 'auto' }));
  });

  it('keeps the routine session token found, and not alerting', () => {
    const line = cloudTrail({ responseElements: { credentials: { sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE0000' } } });
    const [event] = normalizeLine(line, { format: 'cloudtrail' }).events;
    expect(event?.secrets.map((s) => [s.kind, s.path, s.alert])).toEqual([
      ['aws_session_token', 'responseElements.credentials.sessionToken', false],
    ]);
  });

  it("still redacts a gateway's secret fields on a line the pre-scan clears", () => {
    const mapping: GatewayMapping = {
      name: 'proxy',
      fields: { time: 'ts', keyId: 'client.alias', clientIp: 'peer', method: 'verb', path: 'url', status: 'code' },
      timeUnit: 's',
      secretFields: ['upstream.x-stripe'],
    };
    const line = JSON.stringify({
      ts: 1772590629,
      client: { alias: 'billing' },
      peer: '10.0.0.5',
      verb: 'post',
      url: '/v1/charges',
      code: 200,
      upstream: { 'x-stripe': 'opaque-value' },
    });
    expect(lineHoldsNoSecret(line)).toBe(true);
    const result = normalizeLine(line, { format: 'gateway', gateway: mapping });
    expect(result.events[0]?.secrets.map((s) => [s.kind, s.path])).toEqual([['api_key', 'upstream.x-stripe']]);
    expectNoSecret(result, 'opaque-value');
  });
});

describe('normalizeRecord on hostile input', () => {
  const hostile: [string, unknown][] = [
    ['deep nesting', JSON.parse(`${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`)],
    ['deep arrays', JSON.parse(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)],
    ['deep Records', { Records: [JSON.parse(`${'{"userIdentity":'.repeat(20_000)}1${'}'.repeat(20_000)}`)] }],
    [
      'a 1 MB field',
      { eventVersion: '1.08', eventName: 'x'.repeat(1 << 20), userIdentity: { accessKeyId: 'k'.repeat(1 << 20) } },
    ],
    [
      'wrong types everywhere',
      { Records: 'x', detail: 5, logEvents: {}, protoPayload: [], action: {}, request: 'GET', started_at: 'x' },
    ],
    [
      'prototype keys',
      JSON.parse('{"__proto__": {"eventName": "x"}, "constructor": "y", "toString": 1, "action": "hasOwnProperty"}'),
    ],
    ['numbers', 42],
    ['booleans', true],
    ['strings', 'just text'],
    ['sparse CloudWatch', { messageType: 'DATA_MESSAGE', logEvents: [null, 1, { message: null }, { message: '[' }] }],
  ];

  it.each(hostile)('never throws on %s, in any format', (_name, value) => {
    for (const format of FORMATS) {
      const result = normalizeRecord(value, { format });
      expect(result.events.length + result.deadLetters.length).toBeGreaterThanOrEqual(1);
      for (const d of result.deadLetters) expect(typeof d.message).toBe('string');
      expect(() => JSON.stringify(result)).not.toThrow();
    }
  });

  it('caps credential ids and other copied fields at 1024 characters', () => {
    const result = normalizeRecord(
      {
        eventTime: '2026-03-04T02:17:09Z',
        eventSource: 's3.amazonaws.com',
        eventName: 'GetObject',
        userIdentity: { accessKeyId: 'k'.repeat(5000) },
      },
      { format: 'cloudtrail' },
    );
    expect(result.events[0]?.credentialId).toHaveLength(1024);
  });

  it('lets no raw secret through, in events or dead letters', () => {
    const leaky = {
      eventVersion: '1.08',
      eventTime: '2026-03-04T02:17:09Z',
      eventSource: 'lambda.amazonaws.com',
      eventName: 'UpdateFunctionConfiguration',
      userAgent: `deployer ${FAKE.githubPat}`,
      userIdentity: { accessKeyId: 'AKIAEXAMPLEKEY000001', arn: 'arn:aws:iam::111122223333:user/ci' },
      requestParameters: { environment: { variables: { STRIPE_KEY: FAKE.stripeKey, DB_PASSWORD: 'Hunter2-Hunter2' } } },
    };
    const broken = { ...leaky, eventTime: 'never' };
    const result = normalizeRecord({ Records: [leaky, broken] }, { format: 'cloudtrail' });
    expect(result.events).toHaveLength(1);
    expect(result.deadLetters).toHaveLength(1);
    expect(result.events[0]?.userAgent).toBe('deployer [REDACTED:github_pat]');
    expect(result.events[0]?.secrets.map((s) => s.path)).toEqual([
      'Records[0].userAgent',
      'Records[0].requestParameters.environment.variables.STRIPE_KEY',
      'Records[0].requestParameters.environment.variables.DB_PASSWORD',
    ]);
    expectNoSecret(result, FAKE.githubPat, FAKE.stripeKey, 'Hunter2-Hunter2');
    const unknown = normalizeRecord({ [FAKE.githubPat]: FAKE.stripeKey }, { format: 'auto' });
    expect(unknown.deadLetters.map((d) => d.reason)).toEqual(['unknown_format']);
    expectNoSecret(unknown, FAKE.githubPat, FAKE.stripeKey);
  });
});
