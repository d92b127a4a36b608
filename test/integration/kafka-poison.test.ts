// Issue 10 item 1 on the real broker: a record with a time the profile codec cannot hold (after 2106, before
// 1970) is a dead letter in normalize and in detect, and the partition goes on: the events after it in the
// same partition are processed and alert exactly as without the poison.
import { describe, expect, inject, it } from 'vitest';
import { alertsById, readAll, runInProcess, type TopicNames, unique, useKafkaRuntime, workerConfig } from './kafka-harness.ts';
import { cloudTrailStream } from './kafka-stream.ts';

const brokers = inject('kafkaBrokers');
const kafka = useKafkaRuntime('keywatch-it-poison');

describe('poison records through Kafka', () => {
  it('are dead letters in every role and never block a partition', async () => {
    const records = cloudTrailStream({ keys: 6, events: 600, seed: 11 });
    const keyOf = (r: Record<string, unknown>) => (r.userIdentity as { accessKeyId: string }).accessKeyId;
    const victim = keyOf(records[0]!);
    const poison = [
      { ...records[0], eventID: 'poison-future', eventTime: '2107-03-01T00:00:00Z' },
      { ...records[0], eventID: 'poison-past', eventTime: '1969-07-20T20:17:00Z' },
    ];

    // Clean reference: the same records without the poison.
    const clean = await pipeline(records, []);
    // Poison first in the victim's partition: everything after it must still be processed.
    const poisoned = await pipeline(records, poison, victim);
    expect(clean.alerts.size).toBeGreaterThan(3);
    expect([...poisoned.alerts.keys()].sort()).toEqual([...clean.alerts.keys()].sort());
    expect(poisoned.dead.map((d) => d.headers.reason)).toEqual(['invalid_field', 'invalid_field']);

    // An event that skipped normalize (written straight to the events topic) meets the same check in detect.
    const events = unique('events');
    await kafka().ensureTopics([{ topic: events, partitions: 6 }]);
    const { normalizeRecord } = await import('@keywatch/sources');
    const good = records.flatMap((r) => normalizeRecord(r, { format: 'cloudtrail' }).events);
    const bad = { ...good[0]!, id: 'direct-poison', time: '2150-01-01T00:00:00.000Z' };
    await kafka().produce([bad, ...good].map((e) => ({ topic: events, key: e.credentialId, value: JSON.stringify(e) })));
    const topics: TopicNames = { events, dlq: unique('dlq'), alerts: unique('alerts'), state: unique('state') };
    const groups = { normalize: unique('normalize'), detect: unique('detect') };
    const config = workerConfig({ brokers, topics, groups, instanceId: 'poison-d', sources: [] });
    await runInProcess('detect', config, { runtime: kafka(), groupId: groups.detect, topic: events });
    const dead = await readAll<{ reason: string; message: string }>(kafka(), topics.dlq);
    expect(dead.map((d) => [d.headers.reason, d.value.message])).toEqual([
      ['invalid_event', expect.stringContaining('time: "2150-01-01T00:00:00.000Z" is outside 2000-01-01..2100-01-01 UTC')],
    ]);
    expect([...(await alertsById(kafka(), topics.alerts)).keys()].sort()).toEqual([...clean.alerts.keys()].sort());
  }, 240_000);
});

/** normalize → detect over a fresh set of topics; `poison` records go first, keyed like `poisonKey`'s records. */
async function pipeline(records: Record<string, unknown>[], poison: Record<string, unknown>[], poisonKey = 'none') {
  const raw = unique('raw');
  const topics: TopicNames = { events: unique('events'), dlq: unique('dlq'), alerts: unique('alerts'), state: unique('state') };
  const groups = { normalize: unique('normalize'), detect: unique('detect') };
  await kafka().ensureTopics([{ topic: raw, partitions: 2 }]);
  const keyOf = (r: Record<string, unknown>) => (r.userIdentity as { accessKeyId: string }).accessKeyId;
  await kafka().produce([
    ...poison.map((r) => ({ topic: raw, key: poisonKey, value: JSON.stringify(r) })),
    ...records.map((r) => ({ topic: raw, key: keyOf(r), value: JSON.stringify(r) })),
  ]);
  const config = workerConfig({
    brokers,
    topics,
    groups,
    instanceId: unique('p'),
    sources: [{ topic: raw, format: 'cloudtrail' }],
  });
  await runInProcess('normalize', config, { runtime: kafka(), groupId: groups.normalize, topic: raw });
  await runInProcess('detect', config, { runtime: kafka(), groupId: groups.detect, topic: topics.events });
  return {
    alerts: await alertsById(kafka(), topics.alerts),
    dead: poison.length > 0 ? await readAll<{ reason: string }>(kafka(), topics.dlq) : [],
  };
}
