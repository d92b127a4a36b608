// Issue 10 item 6 on the real broker: a worker whose consumer crashes for good stops cleanly and exits
// non-zero; /healthz answers 503 with a JSON reason for a broken producer, a stopped consumer and a stuck batch.
import { existsSync, readFileSync } from 'node:fs';
import { createKafka, type KafkaRuntime } from '@keywatch/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { judgeHealth, pollLag } from '../../services/worker/src/health.ts';
import {
  type ChildWorker,
  committedTotal,
  detectRun,
  eventStream,
  killAll,
  spawnWorker,
  unique,
  useKafkaRuntime,
  waitFor,
  workerConfig,
  writeConfig,
} from './kafka-harness.ts';

const brokers = inject('kafkaBrokers');
const kafka = useKafkaRuntime('keywatch-it-health');
// Short retries so that a failure is a crash within seconds, not minutes.
const fastRetry = { retries: 1, initialRetryTimeMs: 100, maxRetryTimeMs: 500 };
const client = () =>
  new Kafka({ clientId: 'keywatch-it-health', brokers: brokers.split(','), logLevel: logLevel.NOTHING, retry: fastRetry });
const runtimes: KafkaRuntime[] = [];
const fastRuntime = () => {
  const runtime = createKafka({ brokers: brokers.split(','), clientId: 'keywatch-it-health-loop', retry: fastRetry });
  runtimes.push(runtime);
  return runtime;
};
afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.close()));
});

interface HealthBody {
  status: string;
  reason?: string;
  checks?: Record<string, unknown>;
}

/** The ops port a child worker logged once its server listened. */
async function opsPort(worker: ChildWorker): Promise<number> {
  let port = 0;
  await waitFor('the ops server to listen', () => {
    const line = (existsSync(worker.logPath) ? readFileSync(worker.logPath, 'utf8') : '')
      .split('\n')
      .find((l) => l.includes('ops server listening'));
    port = line ? (JSON.parse(line) as { port: number }).port : 0;
    return port > 0;
  });
  return port;
}

async function healthz(port: number): Promise<{ status: number; body: HealthBody }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: (await res.json()) as HealthBody };
}

describe('a detect worker whose output topics are deleted under it', () => {
  it('reports the broken producer on /healthz, then stops cleanly and exits 1', async () => {
    const stream = await eventStream(kafka(), { keys: 10, events: 3000, seed: 5, partitions: 3 });
    await stream.produce(0, 1500);
    const run = detectRun('health', stream.topic);
    const configPath = writeConfig(
      'health',
      workerConfig({
        brokers,
        topics: run.topics,
        groups: { detect: run.group },
        instanceId: 'health-1',
        partitions: 3,
        extra: { health: { stallTimeoutMs: 120_000 } },
      }),
    );
    // workerConfig's kafka section plus fast retries and a small restart budget.
    const config = (await import('yaml')).parse(readFileSync(configPath, 'utf8')) as { kafka: Record<string, unknown> };
    config.kafka.retry = fastRetry;
    config.kafka.maxRestarts = 2;
    writeConfig('health', config);

    const worker = spawnWorker('detect', configPath, 'health');
    try {
      const port = await opsPort(worker);
      await waitFor(
        'events committed',
        async () => (await committedTotal(kafka(), run.group, stream.topic)) >= 1500n,
        60_000,
        50,
      );
      expect(await healthz(port)).toMatchObject({ status: 200, body: { status: 'ok', checks: { consumerRunning: true } } });

      const admin = client().admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [run.topics.alerts, run.topics.state, run.topics.dlq], timeout: 10_000 });
      await admin.disconnect();
      await stream.produce(1500);

      // Every answer until the exit is a 503 naming why: the producer first, then the stopped consumer.
      const reasons = new Set<string>();
      const exited = worker.exited.then((exit) => ({ exit }));
      await waitFor(
        'a 503 from /healthz',
        async () => {
          const { status, body } = await healthz(port).catch(() => ({ status: 0, body: { status: 'gone' } as HealthBody }));
          if (status === 503) reasons.add(body.reason!.split(':')[0]!);
          return status === 503;
        },
        60_000,
        20,
      );
      expect([...reasons][0]).toMatch(/^(producer failing since \S+|consumer stopped)$/);

      const { exit } = await Promise.race([
        exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('worker still running 90 s after its outputs were deleted')), 90_000),
        ),
      ]);
      expect(exit).toEqual({ code: 1, signal: null });
    } finally {
      await killAll([worker]);
    }
    const log = readFileSync(worker.logPath, 'utf8');
    expect(log).toContain('"msg":"consumer crashed for good"');
    expect(log).toContain('"msg":"stopped"');
    expect(log).toMatch(/"code":1,.*"msg":"stopped"/);
  }, 180_000);
});

describe('a batch loop on the real broker', () => {
  it('rejects done when a handler that always fails exhausts the restart budget', async () => {
    const topic = unique('health-fail');
    await kafka().ensureTopics([{ topic, partitions: 1 }]);
    await kafka().produce([{ topic, key: 'k', value: 'poison' }]);
    let calls = 0;
    const loop = await fastRuntime().runBatchLoop({
      groupId: unique('health-fail'),
      topics: [topic],
      delivery: 'at-least-once',
      maxRestarts: 1,
      handler: () => {
        calls++;
        throw new Error('handler cannot go on');
      },
    });
    try {
      await expect(
        Promise.race([loop.done, new Promise((_, reject) => setTimeout(() => reject(new Error('done still pending')), 60_000))]),
      ).rejects.toThrow(/crashed for good/);
      expect(calls).toBeGreaterThanOrEqual(2); // retried, restarted once, then given up
      expect(loop.health()).toMatchObject({ running: false, crash: { restarting: false } });
    } finally {
      await loop.stop();
    }
  }, 90_000);

  it('reports a stuck batch once records wait and nothing commits for the stall timeout', async () => {
    const topic = unique('health-stuck');
    await kafka().ensureTopics([{ topic, partitions: 1 }]);
    await kafka().produce([{ topic, key: 'k', value: 'first' }]);
    let release: () => void = () => {};
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    const groupId = unique('health-stuck');
    const loop = await fastRuntime().runBatchLoop({
      groupId,
      topics: [topic],
      delivery: 'at-least-once',
      handler: async (batch) => {
        if (batch.records.some((r) => r.value?.toString() === 'hang')) await hung;
        return { outputs: [] };
      },
    });
    const lag = pollLag(kafka(), loop, groupId, 250);
    const stallTimeoutMs = 3000;
    const health = () =>
      judgeHealth({ loop: loop.health(), lag: lag.sample(), now: Date.now(), stallTimeoutMs, stopping: false });
    try {
      await waitFor('the first record committed', async () => (await committedTotal(kafka(), groupId, topic)) === 1n, 30_000, 50);
      // Idle with nothing waiting, long past the stall timeout: healthy.
      await new Promise((r) => setTimeout(r, stallTimeoutMs + 500));
      expect(health()).toMatchObject({ healthy: true, checks: { lag: 0 } });

      await kafka().produce([{ topic, key: 'k', value: 'hang' }]);
      const hungAt = Date.now();
      let lastWaiting = 0;
      await waitFor(
        'health to report the stuck batch',
        async () => {
          // More records arrive behind the hung one: the lag grows while nothing commits.
          await kafka().produce([{ topic, key: 'k', value: 'behind' }]);
          const h = health();
          lastWaiting = Number(h.checks?.lag ?? 0);
          return !h.healthy;
        },
        20_000,
        200,
      );
      expect(Date.now() - hungAt).toBeGreaterThanOrEqual(stallTimeoutMs);
      expect(health().reason).toMatch(/^batch stuck: no batch committed for \d+ s while \d+ records wait/);
      expect(lastWaiting).toBeGreaterThan(1);

      release();
      await waitFor('the loop to catch up', async () => health().healthy, 20_000, 100);
    } finally {
      release();
      lag.stop();
      await loop.stop();
    }
  }, 90_000);
});
