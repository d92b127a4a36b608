// normalize-detect (both stages in one process, docs/kafka.md) on the real broker: raw CloudTrail records keyed
// by key id in, the embedded pipeline's alerts out, exactly once across a worker SIGKILLed twice mid-stream.
import { describe, expect, inject, it } from 'vitest';
import {
  alertSetDiff,
  alertsById,
  embeddedAlerts,
  killTwiceMidStream,
  type TopicNames,
  unique,
  useKafkaRuntime,
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
