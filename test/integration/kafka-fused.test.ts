// normalize-detect (both stages in one process, docs/kafka.md) on the real broker: raw CloudTrail records keyed
// by key id in, the embedded pipeline's alerts out, exactly once across a worker SIGKILLed twice mid-stream.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import {
  alertSetDiff,
  alertsById,
  embeddedAlerts,
  killAll,
  killTwiceMidStream,
  spawnWorker,
  type TopicNames,
  unique,
  useKafkaRuntime,
  waitFor,
  workerConfig,
  writeConfig,
} from './kafka-harness.ts';
import { cloudTrailStream } from './kafka-stream.ts';

const brokers = inject('kafkaBrokers');
const kafka = useKafkaRuntime('keywatch-it-fused');

describe('normalize-detect killed with SIGKILL mid-stream, twice', () => {
  it('ends with exactly the alerts of the embedded pipeline over the same records', async () => {
    const raw = unique('fused-raw');
    const topics: TopicNames = { events: unique('events'), dlq: unique('dlq'), alerts: unique('alerts'), state: unique('state') };
    const group = unique('fused');
    await kafka().ensureTopics([{ topic: raw, partitions: 3 }]);
    const records = cloudTrailStream({ keys: 30, events: 4000, seed: 11 });
    // Keyed by key id: each key's records in one raw partition, as the role requires.
    const keyOf = (r: Record<string, unknown>) => (r.userIdentity as { accessKeyId: string }).accessKeyId;
    const messages = records.map((r) => ({ topic: raw, key: keyOf(r), value: JSON.stringify(r) }));
    const configPath = writeConfig(
      'fused',
      workerConfig({
        brokers,
        topics,
        groups: { normalizeDetect: group },
        instanceId: 'fused-1',
        sources: [{ topic: raw, format: 'cloudtrail' }],
      }),
    );
    await killTwiceMidStream({
      runtime: kafka(),
      role: 'normalize-detect',
      configPath,
      groupId: group,
      topic: raw,
      count: messages.length,
      produce: (from, to) => kafka().produce(messages.slice(from, to)),
      name: 'fused',
    });

    const expected = embeddedAlerts(records);
    expect(expected.size).toBeGreaterThan(20);
    // alertsById fails on any alert id seen twice by this read_committed reader.
    const actual = await alertsById(kafka(), topics.alerts);
    expect(alertSetDiff(expected, actual)).toEqual([]);
    // No events topic in this topology.
    expect((await kafka().partitionCounts([topics.events])).has(topics.events)).toBe(false);
  }, 240_000);
});

describe('normalize-detect on a raw topic that breaks its requirement', () => {
  it('logs unkeyed records on a topic of several partitions at error level, and refuses two raw topics', async () => {
    const raw = unique('fused-unkeyed');
    const other = unique('fused-other');
    const topics: TopicNames = { events: unique('events'), dlq: unique('dlq'), alerts: unique('alerts'), state: unique('state') };
    await kafka().ensureTopics([
      { topic: raw, partitions: 3 },
      { topic: other, partitions: 3 },
    ]);
    const records = cloudTrailStream({ keys: 5, events: 100, seed: 3 });
    await kafka().produce(records.map((r) => ({ topic: raw, key: null, value: JSON.stringify(r) })));
    const config = (name: string, sources: { topic: string; format: string }[]) =>
      writeConfig(name, workerConfig({ brokers, topics, groups: { normalizeDetect: unique(name) }, instanceId: name, sources }));

    const worker = spawnWorker(
      'normalize-detect',
      config('fused-unkeyed', [{ topic: raw, format: 'cloudtrail' }]),
      'fused-unkeyed',
    );
    try {
      await waitFor('the unkeyed-record error in the log', () => logLines(worker.logPath).some(isUnkeyedError), 60_000, 200);
    } finally {
      await killAll([worker]);
    }
    // Logged once, not once per record (100 records, all unkeyed).
    expect(logLines(worker.logPath).filter(isUnkeyedError)).toHaveLength(1);

    const both = spawnWorker(
      'normalize-detect',
      config('fused-two', [
        { topic: raw, format: 'cloudtrail' },
        { topic: other, format: 'cloudtrail' },
      ]),
      'fused-two',
    );
    try {
      expect((await both.exited).code).toBe(1);
    } finally {
      await killAll([both]);
    }
    expect(readFileSync(both.logPath, 'utf8')).toContain(
      'the normalize-detect role reads exactly one raw topic, 2 are configured',
    );
  }, 120_000);
});

function logLines(path: string): { level?: string; msg?: string }[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level?: string; msg?: string });
}

function isUnkeyedError(line: { level?: string; msg?: string }): boolean {
  return line.level === 'error' && (line.msg ?? '').includes('a record without a key on raw topic');
}
