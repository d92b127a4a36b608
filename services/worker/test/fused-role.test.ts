import { withDefaults } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import type { InputBatch } from '@keywatch/kafka';
import { EMPTY_REGISTRY } from '@keywatch/registry';
import { describe, expect, it } from 'vitest';
import { parseWorkerConfig } from '../src/config.ts';
import { createFusedHandler, type Violation } from '../src/fused-role.ts';
import { PartitionStates } from '../src/partition-states.ts';

const config = parseWorkerConfig(
  {
    kafka: { brokers: ['b:9092'] },
    topics: { events: 'ev', dlq: 'dead', alerts: 'al', state: 'st' },
    sources: [{ topic: 'raw', format: 'cloudtrail' }],
    detect: { latenessSeconds: 0, learning: { minEvents: 3, minDays: 0 } },
  },
  'test',
);
const noHeartbeat = { heartbeat: async () => {} };

function cloudTrail(keyId: string, n: number, ip = '52.95.110.1'): string {
  return JSON.stringify({
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', accessKeyId: keyId, accountId: '123456789012' },
    eventTime: new Date(Date.parse('2026-03-02T09:00:00Z') + n * 60_000).toISOString(),
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'eu-west-1',
    sourceIPAddress: ip,
    userAgent: 'aws-sdk-go/1.44.0',
    eventID: `${keyId}-${n}`,
    readOnly: true,
  });
}

function rawBatch(partition: number, values: string[], key: (i: number) => string | null = () => 'k'): InputBatch {
  return {
    topic: 'raw',
    partition,
    highWatermark: String(values.length),
    records: values.map((value, i) => ({
      topic: 'raw',
      partition,
      offset: String(i),
      key: key(i),
      value: Buffer.from(value),
      headers: {},
      timestamp: '0',
    })),
  };
}

function fused(rawPartitions: number) {
  const states = new PartitionStates({ eventsTopic: 'raw', latenessSeconds: 0, restore: async () => 0 });
  states.onAssignment(new Map([['raw', [0, 1]]]), false, Promise.resolve());
  const violations: Violation[] = [];
  const deps = {
    geo: createGeoLookup(),
    registry: EMPTY_REGISTRY,
    suppressions: [],
    options: withDefaults({ learning: { minEvents: 3, minDays: 0 } }),
  };
  const handler = createFusedHandler(config, states, deps, () => {}, {
    rawPartitions,
    onViolation: (v) => violations.push(v),
  });
  return { handler, violations };
}

describe('normalize-detect handler', () => {
  it('turns raw records into alerts, dead letters and the raw partition changelog, with no events topic', async () => {
    const { handler, violations } = fused(1);
    const calls = [...Array.from({ length: 6 }, (_, n) => cloudTrail('AKIAIOSFODNN7TESTKEY', n)), '{"broken'];
    calls.push(cloudTrail('AKIAIOSFODNN7TESTKEY', 7, '77.88.8.8'));
    const { outputs, afterCommit } = await handler(rawBatch(1, calls), noHeartbeat);
    afterCommit?.();
    expect(new Set(outputs.map((o) => o.topic))).toEqual(new Set(['al', 'dead', 'st']));
    expect(outputs.filter((o) => o.topic === 'dead').map((o) => o.headers?.reason)).toEqual(['invalid_json']);
    // A new country of a key past its learning period is an alert.
    const rules = outputs.filter((o) => o.topic === 'al').map((o) => o.headers?.['rule.id']);
    expect(rules).toContain('new_country');
    // The state of raw partition 1 lives in changelog partition 1.
    const state = outputs.filter((o) => o.topic === 'st');
    expect(state.map((o) => [o.key, o.partition])).toEqual([['AKIAIOSFODNN7TESTKEY', 1]]);
    expect(violations).toEqual([]);
  });

  it('reports unkeyed records on a topic of several partitions, and a key seen in two raw partitions', async () => {
    const { handler, violations } = fused(2);
    const first = await handler(
      rawBatch(0, [cloudTrail('AKIAIOSFODNN7TESTKEY', 0)], () => null),
      noHeartbeat,
    );
    first.afterCommit?.();
    expect(violations).toEqual([{ kind: 'unkeyed', topic: 'raw', partition: 0, offset: '0' }]);
    await handler(rawBatch(1, [cloudTrail('AKIAIOSFODNN7TESTKEY', 1)]), noHeartbeat);
    expect(violations.at(-1)).toEqual({ kind: 'split-key', subject: 'AKIAIOSFODNN7TESTKEY', partitions: [1, 0] });
  });

  it('says nothing of unkeyed records on a topic of one partition', async () => {
    const { handler, violations } = fused(1);
    await handler(
      rawBatch(0, [cloudTrail('AKIAIOSFODNN7TESTKEY', 0)], () => null),
      noHeartbeat,
    );
    expect(violations).toEqual([]);
  });
});
