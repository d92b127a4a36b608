// The dispatch role (alerts topic → durable queue → destination) and `replay` from an offset or a timestamp.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayTopic } from '@keywatch/kafka';
import { describe, expect, inject, it } from 'vitest';
import {
  caughtUp,
  detectRun,
  eventStream,
  runInProcess,
  startInProcess,
  unique,
  useKafkaRuntime,
  waitFor,
  workDir,
  workerConfig,
} from './kafka-harness.ts';

const brokers = inject('kafkaBrokers');
const kafka = useKafkaRuntime('keywatch-it-dispatch');

describe('dispatch role', () => {
  it('delivers every alert of the alerts topic to the destination and commits', async () => {
    const stream = await eventStream(kafka(), { keys: 10, events: 800, seed: 9, partitions: 3 });
    await stream.produce(0);
    const run = detectRun('dispatch', stream.topic);
    const alertsFile = join(workDir, `${unique('alerts')}.ndjson`);
    const config = workerConfig({
      brokers,
      topics: run.topics,
      groups: { detect: run.group, dispatch: unique('dispatch') },
      instanceId: 'dispatch-1',
      partitions: 3,
      extra: {
        dispatch: { queuePath: join(workDir, `${unique('queue')}.db`) },
        destinations: { archive: { kind: 'file', path: alertsFile } },
        retry: { pollIntervalMs: 100 },
      },
    });
    await runInProcess('detect', config, { runtime: kafka(), groupId: run.group, topic: stream.topic });
    const ids = new Set<string>();
    for await (const record of kafka().replay({ topic: run.topics.alerts })) ids.add(JSON.parse(String(record.value)).event.id);
    expect(ids.size).toBeGreaterThan(5);

    const dispatchGroup = (config.groups as { dispatch: string }).dispatch;
    const delivered = () => (existsSync(alertsFile) ? readFileSync(alertsFile, 'utf8').trim().split('\n').filter(Boolean) : []);
    const worker = await startInProcess('dispatch', config);
    try {
      await waitFor(
        'dispatch to commit the alerts topic',
        () => caughtUp(kafka(), dispatchGroup, run.topics.alerts),
        60_000,
        200,
      );
      await waitFor('every alert in the file', () => delivered().length >= ids.size, 30_000, 100);
    } finally {
      await worker.stop();
    }
    const fileIds = delivered().map((line) => (JSON.parse(line) as { event: { id: string } }).event.id);
    expect(new Set(fileIds)).toEqual(ids);
  }, 120_000);
});

describe('replayTopic', () => {
  it('reads a topic from an offset or from a timestamp, each record tagged with its format', async () => {
    const topic = unique('replay');
    await kafka().ensureTopics([{ topic, partitions: 1 }]);
    await kafka().produce(Array.from({ length: 10 }, (_, i) => ({ topic, key: null, value: `first-${i}` })));
    await new Promise((r) => setTimeout(r, 50));
    const between = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    await kafka().produce(Array.from({ length: 5 }, (_, i) => ({ topic, key: null, value: `second-${i}` })));

    const collect = async (from: { fromOffset?: number; fromTimestamp?: number }) => {
      const values: string[] = [];
      for await (const record of replayTopic({ brokers: brokers.split(','), topic, format: 'cloudtrail', ...from })) {
        expect(record.format).toBe('cloudtrail');
        values.push(String(record.value));
      }
      return values;
    };
    expect(await collect({ fromOffset: 7 })).toEqual([
      'first-7',
      'first-8',
      'first-9',
      ...Array.from({ length: 5 }, (_, i) => `second-${i}`),
    ]);
    expect(await collect({ fromTimestamp: between })).toEqual(Array.from({ length: 5 }, (_, i) => `second-${i}`));
    expect(await collect({ fromTimestamp: Date.now() + 60_000 })).toEqual([]);
  }, 60_000);
});
