import { withDefaults } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import type { InputBatch } from '@keywatch/kafka';
import { EMPTY_REGISTRY } from '@keywatch/registry';
import { normalizeLine } from '@keywatch/sources';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseWorkerConfig } from '../src/config.ts';
import { createDetectHandler } from '../src/detect-role.ts';
import { PartitionStates } from '../src/partition-states.ts';
import { PartitionStore } from '../src/partition-store.ts';

const config = parseWorkerConfig(
  { kafka: { brokers: ['b:9092'] }, topics: { events: 'ev', dlq: 'dead', alerts: 'al', state: 'st' } },
  'test',
);

function eventJson(id: string): string {
  const record = {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', accessKeyId: 'AKIAIOSFODNN7TESTKEY', accountId: '123456789012' },
    eventTime: '2026-03-02T09:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '52.95.110.1',
    userAgent: 'aws-sdk-go/1.44.0',
    eventID: id,
    readOnly: true,
  };
  return JSON.stringify(normalizeLine(JSON.stringify(record), { format: 'cloudtrail' }).events[0]);
}

async function handlerFor() {
  // Events detected as they come (the reorder buffer's own tests: partition-states.test.ts, kafka-order.test.ts).
  const states = new PartitionStates({ eventsTopic: 'ev', latenessSeconds: 0, restore: async () => 0 });
  states.onAssignment(new Map([['ev', [0]]]), false, Promise.resolve());
  const deps = { geo: createGeoLookup(), registry: EMPTY_REGISTRY, suppressions: [], options: withDefaults({}) };
  return createDetectHandler(config, states, deps);
}

function batch(values: string[]): InputBatch {
  return {
    topic: 'ev',
    partition: 0,
    highWatermark: String(values.length),
    records: values.map((v, i) => ({
      topic: 'ev',
      partition: 0,
      offset: String(i),
      key: 'AKIAIOSFODNN7TESTKEY',
      value: Buffer.from(v),
      headers: {},
      timestamp: '0',
    })),
  };
}

describe('detect handler', () => {
  it('reads every event of a packed record and dead-letters a bad one by its place in the record', async () => {
    const handler = await handlerFor();
    const packed = [eventJson('e-1'), '{"not": "an event"', eventJson('e-2')].join('\n');
    const { outputs } = await handler(batch([packed, eventJson('e-3')]), { heartbeat: async () => {} });
    const dead = outputs.filter((o) => o.topic === 'dead');
    expect(dead).toHaveLength(1);
    expect(dead[0]!.headers).toMatchObject({ reason: 'invalid_event', 'source.offset': '0' });
    expect(dead[0]!.headers?.message).toMatch(/^event 2 of 3 in the record: invalid JSON/);
    // The key's state record: one per key per batch, after its three good events.
    const state = outputs.filter((o) => o.topic === 'st');
    expect(state.map((o) => o.key)).toEqual(['AKIAIOSFODNN7TESTKEY']);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('re-runs a batch whose profile cannot be encoded so that the event behind it becomes a dead letter', async () => {
    // A profile that has seen two events cannot be encoded (firstSeen after lastSeen).
    const put = PartitionStore.prototype.put;
    vi.spyOn(PartitionStore.prototype, 'put').mockImplementation(function (this: PartitionStore, id, profile) {
      put.call(this, id, profile.events === 2 ? { ...profile, firstSeen: profile.lastSeen + 1 } : profile);
    });
    const handler = await handlerFor();
    const input = batch([eventJson('e-1'), eventJson('e-2')]);
    await expect(handler(input, { heartbeat: async () => {} })).rejects.toThrow(
      /^the profile of AKIAIOSFODNN7TESTKEY cannot be encoded/,
    );
    const { outputs } = await handler(input, { heartbeat: async () => {} });
    const dead = outputs.filter((o) => o.topic === 'dead');
    expect(dead.map((o) => [o.headers?.reason, o.headers?.['source.offset']])).toEqual([['processing_error', '1']]);
    expect(dead[0]!.headers?.message).toMatch(/^detect failed: cannot encode profile: firstSeen/);
    expect(outputs.filter((o) => o.topic === 'st')).toHaveLength(1);
  });

  it('keeps reading records of one event (as older versions wrote them)', async () => {
    const handler = await handlerFor();
    const { outputs } = await handler(batch([eventJson('e-1'), '']), { heartbeat: async () => {} });
    const dead = outputs.filter((o) => o.topic === 'dead');
    expect(dead.map((o) => o.headers?.message)).toEqual(['empty record']);
    expect(outputs.filter((o) => o.topic === 'st')).toHaveLength(1);
  });
});
