// SIGTERM: the worker finishes the batch in flight, commits it, leaves the group and exits 0.
import { describe, expect, inject, it } from 'vitest';
import {
  type ChildWorker,
  committedTotal,
  detectRun,
  eventStream,
  killAll,
  spawnWorker,
  useKafkaRuntime,
  waitFor,
  workerConfig,
  writeConfig,
} from './kafka-harness.ts';

const brokers = inject('kafkaBrokers');
const kafka = useKafkaRuntime('keywatch-it-sigterm');

describe('detect worker on SIGTERM', () => {
  it('exits 0 with its offsets committed and no transaction left open', async () => {
    const stream = await eventStream(kafka(), { keys: 20, events: 6000, seed: 3, partitions: 6 });
    await stream.produce(0);
    const run = detectRun('sigterm', stream.topic);
    const configPath = writeConfig(
      'sigterm',
      workerConfig({
        brokers,
        topics: run.topics,
        groups: { detect: run.group },
        instanceId: 'sigterm-1',
        maxBytesPerPartition: 2048,
      }),
    );
    const workers: ChildWorker[] = [spawnWorker('detect', configPath, 'sigterm')];
    try {
      await waitFor(
        '500 events committed',
        async () => (await committedTotal(kafka(), run.group, stream.topic)) >= 500n,
        60_000,
        10,
      );
      workers[0]!.child.kill('SIGTERM');
      const exit = await Promise.race([
        workers[0]!.exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no exit within 20 s of SIGTERM')), 20_000)),
      ]);
      expect(exit).toEqual({ code: 0, signal: null });
    } finally {
      await killAll(workers);
    }

    const committed = await committedTotal(kafka(), run.group, stream.topic);
    expect(committed).toBeGreaterThanOrEqual(500n);
    expect(committed).toBeLessThan(BigInt(stream.count)); // stopped mid-stream, not after the end
    // A transaction left open would hold back read_committed readers of the outputs until it timed out.
    const read = async (topic: string) => {
      let n = 0;
      for await (const _ of kafka().replay({ topic, idleTimeoutMs: 3000 })) n++;
      return n;
    };
    expect(await read(run.topics.state)).toBeGreaterThan(0);
    await read(run.topics.alerts);
    const log = await import('node:fs/promises').then((fs) => fs.readFile(workers[0]!.logPath, 'utf8'));
    expect(log).toContain('"msg":"stopped"');
    // Only JSON log lines: kafkajs' TimeoutNegativeWarning (tulios/kafkajs#1751) no longer reaches stderr.
    expect(log).not.toContain('TimeoutNegativeWarning');
  }, 120_000);
});
