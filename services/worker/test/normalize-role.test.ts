import type { InputBatch } from '@keywatch/kafka';
import { describe, expect, it } from 'vitest';
import { fingerprintKeyOf, parseWorkerConfig } from '../src/config.ts';
import { createNormalizeHandler, PACK_MAX_EVENTS, sourceOptions } from '../src/normalize-role.ts';

const config = parseWorkerConfig(
  { kafka: { brokers: ['b:9092'] }, sources: [{ topic: 'raw.ct', format: 'cloudtrail' }], topics: { events: 'ev', dlq: 'dead' } },
  'test',
);

const record = {
  eventVersion: '1.08',
  userIdentity: {
    type: 'IAMUser',
    accessKeyId: 'AKIAIOSFODNN7TESTKEY',
    arn: 'arn:aws:iam::123456789012:user/bot',
    accountId: '123456789012',
  },
  eventTime: '2026-03-02T09:00:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  awsRegion: 'eu-west-1',
  sourceIPAddress: '52.95.110.1',
  userAgent: 'aws-sdk-go/1.44.0',
  eventID: 'e-1',
  readOnly: true,
};

function batch(values: string[]): InputBatch {
  return {
    topic: 'raw.ct',
    partition: 2,
    highWatermark: '100',
    records: values.map((v, i) => ({
      topic: 'raw.ct',
      partition: 2,
      offset: String(40 + i),
      key: null,
      value: Buffer.from(v),
      headers: {},
      timestamp: '0',
    })),
  };
}

describe('normalize handler', () => {
  it('re-keys events by credential id onto the events topic', async () => {
    const { outputs } = await createNormalizeHandler(config)(batch([JSON.stringify(record)]), { heartbeat: async () => {} });
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toMatchObject({ topic: 'ev', key: 'AKIAIOSFODNN7TESTKEY' });
    expect(JSON.parse(String(outputs[0]!.value))).toMatchObject({
      id: 'e-1',
      credentialId: 'AKIAIOSFODNN7TESTKEY',
      action: 's3:GetObject',
    });
  });

  it("packs a key's events of a batch into one record, one event a line, in order", async () => {
    const other = { ...record, userIdentity: { ...record.userIdentity, accessKeyId: 'AKIAOTHERKEY00000000' } };
    const values = [record, other, { ...record, eventID: 'e-2' }, { ...record, eventID: 'e-3' }].map((r) => JSON.stringify(r));
    const { outputs } = await createNormalizeHandler(config)(batch(values), { heartbeat: async () => {} });
    const byKey = new Map(
      outputs.map((o) => [
        o.key,
        String(o.value)
          .split('\n')
          .map((l) => JSON.parse(l).id),
      ]),
    );
    expect(outputs).toHaveLength(2);
    expect(byKey.get('AKIAIOSFODNN7TESTKEY')).toEqual(['e-1', 'e-2', 'e-3']);
    expect(byKey.get('AKIAOTHERKEY00000000')).toEqual(['e-1']);
  });

  it('starts a new record for a key once a pack is full, keeping the order', async () => {
    const values = Array.from({ length: PACK_MAX_EVENTS + 5 }, (_, i) => JSON.stringify({ ...record, eventID: `e-${i}` }));
    const { outputs } = await createNormalizeHandler(config)(batch(values), { heartbeat: async () => {} });
    const ids = outputs.map((o) =>
      String(o.value)
        .split('\n')
        .map((l) => JSON.parse(l).id),
    );
    expect(ids.map((pack) => pack.length)).toEqual([PACK_MAX_EVENTS, 5]);
    expect(ids.flat()).toEqual(values.map((_, i) => `e-${i}`));
  });

  it('dead-letters bad records with reason and source position, secrets redacted', async () => {
    const token = `ghp_${'A1b2C3d4E5'.repeat(3)}abcdef`;
    const { outputs } = await createNormalizeHandler(config)(batch([`{"token": "${token}", oops`]), {
      heartbeat: async () => {},
    });
    expect(outputs).toHaveLength(1);
    const dead = outputs[0]!;
    expect(dead.topic).toBe('dead');
    expect(dead.headers).toMatchObject({
      reason: 'invalid_json',
      'source.topic': 'raw.ct',
      'source.partition': '2',
      'source.offset': '40',
    });
    expect(JSON.stringify(dead)).not.toContain(token);
  });

  it('refuses an unknown gateway preset and a topic listed twice at start', () => {
    const bad = (sources: unknown[]) => parseWorkerConfig({ kafka: { brokers: ['b:9092'] }, sources }, 'test');
    expect(() => sourceOptions(bad([{ topic: 'g', format: 'gateway', gateway: 'nginx-custom-xyz' }]))).toThrow(
      'sources[0].gateway',
    );
    expect(() =>
      sourceOptions(
        bad([
          { topic: 't', format: 'auto' },
          { topic: 't', format: 'cloudtrail' },
        ]),
      ),
    ).toThrow('sources[1].topic');
  });
});

describe('secret fingerprints in Kafka mode', () => {
  const keyHex = 'a1'.repeat(32);
  const withKey = parseWorkerConfig(
    {
      kafka: { brokers: ['b:9092'] },
      sources: [{ topic: 'raw.ct', format: 'cloudtrail' }],
      secrets: { fingerprintKey: 'env:KW_FP_KEY' },
    },
    'test',
  );
  const leaky = JSON.stringify({ ...record, requestParameters: { password: 'Winter2026!' } });
  const fingerprintOf = async (env: NodeJS.ProcessEnv) => {
    const { outputs } = await createNormalizeHandler(withKey, env)(batch([leaky]), { heartbeat: async () => {} });
    return JSON.parse(String(outputs[0]!.value)).secrets[0].fingerprint as string;
  };

  it('are keyed with the configured key, so every worker gives the same secret the same fingerprint', async () => {
    const a = await fingerprintOf({ KW_FP_KEY: keyHex });
    const b = await fingerprintOf({ KW_FP_KEY: keyHex });
    const other = await fingerprintOf({ KW_FP_KEY: 'b2'.repeat(32) });
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(b).toBe(a);
    expect(other).not.toBe(a);
    const { createHash, createHmac } = await import('node:crypto');
    expect(a).toBe(createHmac('sha256', Buffer.from(keyHex, 'hex')).update('Winter2026!').digest('hex').slice(0, 12));
    expect(a).not.toBe(createHash('sha256').update('Winter2026!').digest('hex').slice(0, 12));
  });

  it('refuses a key that is too short or not hex/base64, naming the field, never the value', () => {
    expect(() => fingerprintKeyOf(withKey, { KW_FP_KEY: 'abcd' })).toThrow(/secrets\.fingerprintKey: must be hex or base64/);
    expect(() => fingerprintKeyOf(withKey, { KW_FP_KEY: 'not a key!!' })).toThrow(/secrets\.fingerprintKey/);
    expect(() => fingerprintKeyOf(withKey, {})).toThrow(/KW_FP_KEY is not set/);
    expect(fingerprintKeyOf(config, {})).toBeUndefined();
  });
});
