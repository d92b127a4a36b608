// Issue 10 item 7 on the real broker: a trail through an UNKEYED raw topic on 6 partitions reaches detect out
// of order (normalize reads the raw partitions one batch at a time); each detect partition's reorder buffer puts
// it back in event-time order, across a detect worker's restart, and the alerts equal the time-ordered trail's.
import type { EcsAlert } from '@keywatch/alerts';
import { withDefaults } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import type { CanonicalEvent } from '@keywatch/event';
import { createEmbeddedPipeline } from '@keywatch/pipeline';
import { EMPTY_REGISTRY } from '@keywatch/registry';
import { MemoryProfileStore } from '@keywatch/state';
import { Partitioners } from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import {
  caughtUp,
  readAll,
  startInProcess,
  type TopicNames,
  unique,
  useKafkaRuntime,
  waitFor,
  workerConfig,
} from './kafka-harness.ts';
import { cloudTrailStream } from './kafka-stream.ts';

const brokers = inject('kafkaBrokers');
const kafka = useKafkaRuntime('keywatch-it-order');

const PARTITIONS = 6;
/** Raw records are produced in slices of this many minutes of event time, as a live trail arrives. */
const SLICE = 12;
const LEARNING = { minEvents: 5, minDays: 0 };

/** Every alert by id, its last version (first versions and final versions share the id). */
function lastVersions(alerts: EcsAlert[]): Map<string, EcsAlert> {
  return new Map(alerts.map((a) => [a.event.id, a]));
}

/** What `keywatch run` gives for the records in time order: every alert, its final version. */
function timeOrdered(records: Record<string, unknown>[]): Map<string, EcsAlert> {
  const out: EcsAlert[] = [];
  const pipeline = createEmbeddedPipeline(
    { format: 'cloudtrail' },
    {
      geo: createGeoLookup(),
      registry: EMPTY_REGISTRY,
      store: new MemoryProfileStore(),
      options: withDefaults({ learning: LEARNING }),
    },
    { alert: (a) => out.push(a), alertUpdate: (a) => out.push(a), deadLetter: () => {} },
  );
  for (const [i, value] of records.entries()) pipeline.push({ value }, { file: 'trail', line: i + 1 });
  pipeline.finish();
  return lastVersions(out);
}

/**
 * Keys whose events land on every events partition (the events topic is keyed by key id, murmur2): one call
 * each a day after the trail moves every partition's event time past it, so the buffers release the whole trail.
 */
function sentinels(after: number, days: number): Record<string, unknown>[] {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));
  const byPartition = new Map<number, string>();
  for (let i = 0; byPartition.size < PARTITIONS && i < 1000; i++) {
    const key = `AKIASENTINEL${String(i).padStart(8, '0')}`;
    const p = partitioner({ topic: 'events', partitionMetadata, message: { key, value: null } });
    if (!byPartition.has(p)) byPartition.set(p, key);
  }
  expect(byPartition.size).toBe(PARTITIONS);
  const [template] = cloudTrailStream({ keys: 1, events: 1, seed: 1 });
  return [...byPartition.values()].flatMap((key, k) =>
    Array.from({ length: days }, (_, d) => ({
      ...template,
      userIdentity: {
        ...(template!.userIdentity as object),
        accessKeyId: key,
        arn: `arn:aws:iam::123456789012:user/sentinel-${k}`,
      },
      eventTime: new Date(after + (d + 1) * 86_400_000).toISOString().replace('.000Z', 'Z'),
      eventID: `sentinel-${k}-${d}`,
    })),
  );
}

describe('events out of order through an unkeyed raw topic', () => {
  it('give the alert ids (and final versions) of the time-ordered trail, across a detect restart', async () => {
    const raw = unique('raw-unkeyed');
    const topics: TopicNames = { events: unique('events'), dlq: unique('dlq'), alerts: unique('alerts'), state: unique('state') };
    const groups = { normalize: unique('normalize'), detect: unique('detect') };
    await kafka().ensureTopics([{ topic: raw, partitions: PARTITIONS }]);
    const trail = cloudTrailStream({ keys: 15, events: 1500, seed: 23, strayShare: 0.08 });
    const end = Date.parse(String(trail.at(-1)!.eventTime));
    // Two sentinel days: the first is released (and closes every alert group, as the end of input does in
    // embedded mode), the second stays held.
    const tail = sentinels(end, 2);
    const expected = timeOrdered([...trail, ...tail]);
    const sentinelKeys = new Set(tail.map((r) => (r.userIdentity as { accessKeyId: string }).accessKeyId));
    for (const [id, a] of expected) if (sentinelKeys.has(a.keywatch.key.id)) expected.delete(id);
    expect(expected.size).toBeGreaterThan(10);

    const config = workerConfig({
      brokers,
      topics,
      groups,
      instanceId: 'order-1',
      sources: [{ topic: raw, format: 'cloudtrail' }],
      extra: { detect: { learning: LEARNING, latenessSeconds: 900 } },
    });
    const normalize = await startInProcess('normalize', config);
    let detect = await startInProcess('detect', config);
    try {
      // Unkeyed: the default partitioner spreads the records over the six raw partitions.
      const produce = async (records: Record<string, unknown>[]) => {
        await kafka().produce(records.map((r) => ({ topic: raw, key: null, value: JSON.stringify(r) })));
        await waitFor('normalize to catch up', () => caughtUp(kafka(), groups.normalize, raw), 60_000, 50);
      };
      for (let from = 0; from < trail.length; from += SLICE) {
        await produce(trail.slice(from, from + SLICE));
        if (from === 600) {
          // Mid-stream the detect worker stops and a new one takes over: held events come back from the changelog.
          await waitFor('detect to catch up', () => caughtUp(kafka(), groups.detect, topics.events), 60_000, 50);
          await detect.stop();
          detect = await startInProcess('detect', config);
        }
      }
      await produce(tail);
      await waitFor('detect to catch up', () => caughtUp(kafka(), groups.detect, topics.events), 60_000, 50);
    } finally {
      await detect.stop();
      await normalize.stop();
    }

    // The events reached detect out of order: some key's calls are not in time order on its events partition.
    // An events record packs several events of its key, one per line.
    const events: CanonicalEvent[] = [];
    for await (const r of kafka().replay({ topic: topics.events, idleTimeoutMs: 20_000 }))
      for (const line of (r.value?.toString('utf8') ?? '').split('\n')) if (line !== '') events.push(JSON.parse(line));
    const last = new Map<string, string>();
    let behind = 0;
    for (const e of events) {
      if ((last.get(e.credentialId) ?? '') > e.time) behind++;
      else last.set(e.credentialId, e.time);
    }
    expect(behind).toBeGreaterThan(0);
    // Detected in that arrival order (no reorder buffer), the same events give other alerts: the test can fail.
    const arrival: EcsAlert[] = [];
    const inArrivalOrder = createEmbeddedPipeline(
      { format: 'cloudtrail' },
      {
        geo: createGeoLookup(),
        registry: EMPTY_REGISTRY,
        store: new MemoryProfileStore(),
        options: withDefaults({ learning: LEARNING }),
      },
      { alert: (a) => arrival.push(a), alertUpdate: (a) => arrival.push(a), deadLetter: () => {} },
      { latenessSeconds: 0 },
    );
    for (const e of events) if (!sentinelKeys.has(e.credentialId)) inArrivalOrder.processEvent(e);
    inArrivalOrder.finish();
    expect([...lastVersions(arrival).keys()].sort()).not.toEqual([...expected.keys()].sort());

    const actual = lastVersions((await readAll<EcsAlert>(kafka(), topics.alerts)).map((r) => r.value));
    for (const [id, a] of actual) if (sentinelKeys.has(a.keywatch.key.id)) actual.delete(id);
    const show = (a: EcsAlert) => `${a.rule.id} ${a.keywatch.key.id} ${a['@timestamp']} ${a.keywatch.alert.count}`;
    const missing = [...expected].filter(([id]) => !actual.has(id)).map(([, a]) => `missing ${show(a)}`);
    const extra = [...actual].filter(([id]) => !expected.has(id)).map(([, a]) => `extra ${show(a)}`);
    const changed = [...expected]
      .filter(([id, a]) => actual.has(id) && JSON.stringify(actual.get(id)) !== JSON.stringify(a))
      .map(([, a]) => `changed ${show(a)}`);
    expect([...missing, ...extra, ...changed]).toEqual([]);
  }, 300_000);
});
