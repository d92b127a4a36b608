// Benchmark of the Kafka runtime on the real broker (a script, not a test):
//   KAFKA_BROKERS=127.0.0.1:9092 bash scripts/node24.sh node test/bench/kafka.ts [--events 50000] [--rate 500] [--json]
// 1. kafkajs consume-only throughput of a raw CloudTrail topic (the ceiling);
// 2. end-to-end throughput of the same records through normalize → detect (child processes, transactions);
// 3. event-to-alert latency (produce of the raw record → alert visible to a read_committed reader) at a
//    steady rate, with the workers caught up.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createKafka } from '@keywatch/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { stringify } from 'yaml';
import { cloudTrailStream } from '../integration/kafka-stream.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '50000' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '15' },
    partitions: { type: 'string', default: '6' },
    json: { type: 'boolean', default: false },
  },
});
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const total = Number(args.events);
const rate = Number(args.rate);
const steadySeconds = Number(args.seconds);
const partitions = Number(args.partitions);
const id = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'keywatch-bench-'));
const log = (msg: string) => {
  if (!args.json) process.stderr.write(`${msg}\n`);
};

const runtime = createKafka({ brokers, clientId: 'keywatch-bench' });
const topics = {
  raw: `bench-raw-${id}`,
  events: `bench-events-${id}`,
  dlq: `bench-dlq-${id}`,
  alerts: `bench-alerts-${id}`,
  state: `bench-state-${id}`,
};
const groups = { normalize: `bench-normalize-${id}`, detect: `bench-detect-${id}` };
await runtime.ensureTopics([{ topic: topics.raw, partitions }]);

const steadyCount = rate * steadySeconds;
const records = cloudTrailStream({ keys: 200, events: total + steadyCount, seed: 1 });
const keyOf = (r: Record<string, unknown>) => (r.userIdentity as { accessKeyId: string }).accessKeyId;
const toMessage = (r: Record<string, unknown>) => ({ topic: topics.raw, key: keyOf(r), value: JSON.stringify(r) });
log(`producing ${total} raw CloudTrail records (${(JSON.stringify(records[0]).length / 1024).toFixed(1)} KiB each)`);
for (let i = 0; i < total; i += 5000) await runtime.produce(records.slice(i, Math.min(i + 5000, total)).map(toMessage));

// 1. consume-only ceiling: a kafkajs group consumer that does nothing with the records.
const consumeOnly = await timeConsumeOnly(topics.raw, total);
log(`kafkajs consume-only: ${Math.round(consumeOnly)} records/s`);

// 2. end to end through the workers.
const configPath = join(dir, 'bench.yaml');
writeFileSync(
  configPath,
  stringify({
    kafka: { brokers, clientId: 'keywatch-bench', sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 },
    topics: { events: topics.events, dlq: topics.dlq, alerts: topics.alerts, state: topics.state, partitions },
    groups,
    sources: [{ topic: topics.raw, format: 'cloudtrail' }],
    detect: { learning: { minEvents: 20, minDays: 0 } },
    http: { port: 0 },
    log: { level: 'warn' },
  }),
);
const workers = [spawnWorker('normalize'), spawnWorker('detect')];
try {
  // The clock starts at normalize's first commit: process start-up (geo data, group joins) is not throughput.
  await waitUntil(async () => (await committed(groups.normalize, topics.raw)) > 0n, 120_000, 5);
  const started = performance.now();
  await waitUntil(async () => (await committed(groups.normalize, topics.raw)) >= BigInt(total), 600_000);
  const normalizedAt = performance.now();
  const events = await dataEnd(topics.events);
  await waitUntil(async () => (await committed(groups.detect, topics.events)) >= events, 600_000);
  const e2eSeconds = (performance.now() - started) / 1000;
  const endToEnd = total / e2eSeconds;
  log(
    `end to end: ${Math.round(endToEnd)} events/s (${e2eSeconds.toFixed(1)} s; normalize done at ${((normalizedAt - started) / 1000).toFixed(1)} s)`,
  );

  // 3. latency at a steady rate, workers caught up.
  log(`steady phase: ${steadyCount} records at ${rate}/s`);
  const latencies = await steadyLatency(records.slice(total));
  const result = {
    records: total,
    recordBytes: JSON.stringify(records[0]).length,
    partitions,
    consumeOnlyPerSecond: Math.round(consumeOnly),
    endToEndPerSecond: Math.round(endToEnd),
    ratio: Number((endToEnd / consumeOnly).toFixed(3)),
    steadyRate: rate,
    alertsMeasured: latencies.length,
    latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: Math.max(...latencies) },
  };
  if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    console.table({
      'kafkajs consume-only (records/s)': result.consumeOnlyPerSecond,
      'end to end normalize→detect (events/s)': result.endToEndPerSecond,
      'ratio (goal ≥ 0.8)': result.ratio,
      [`event→alert p50 at ${rate}/s (ms)`]: result.latencyMs.p50,
      [`event→alert p99 at ${rate}/s (ms, goal < 1000)`]: result.latencyMs.p99,
      'alerts measured': result.alertsMeasured,
    });
  }
} finally {
  for (const w of workers) w.kill('SIGTERM');
  await runtime.close();
}
process.exit(0);

function spawnWorker(role: string): ChildProcess {
  const main = resolve(import.meta.dirname, '../../services/worker/src/main.ts');
  const child = spawn(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', main, '--role', role, '--config', configPath],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return child;
}

async function timeConsumeOnly(topic: string, count: number): Promise<number> {
  const kafka = new Kafka({ brokers, clientId: 'keywatch-bench-consume', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-consume-only-${id}`, maxBytesPerPartition: 1_048_576 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let first = 0;
  const done = new Promise<number>((resolveDone) => {
    consumer.run({
      eachBatch: async ({ batch }) => {
        if (first === 0) first = performance.now();
        seen += batch.messages.length;
        if (seen >= count) resolveDone(performance.now());
      },
    });
  });
  const start = performance.now();
  const end = await done;
  await consumer.disconnect();
  return count / ((end - start) / 1000);
}

async function committed(groupId: string, topic: string): Promise<bigint> {
  let sum = 0n;
  for (const offset of (await runtime.committedOffsets(groupId, topic)).values()) sum += offset;
  return sum;
}

/** Sum of end offsets of a topic, as a committed-offset target. */
async function dataEnd(topic: string): Promise<bigint> {
  let sum = 0n;
  for (const end of (await runtime.endOffsets(topic)).values()) sum += end;
  return sum;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`benchmark step timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Produces records at the given rate; returns ms from each triggering record's produce to its alert's arrival. */
async function steadyLatency(steady: Record<string, unknown>[]): Promise<number[]> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const reader = (async () => {
    for await (const record of runtime.replay({ topic: topics.alerts, follow: true, idleTimeoutMs: 5000 })) {
      const alert = JSON.parse(String(record.value)) as { keywatch: { evidence: { event_ids: string[] } } };
      const sent = sentAt.get(alert.keywatch.evidence.event_ids[0] ?? '');
      if (sent !== undefined) latencies.push(Date.now() - sent);
    }
  })().catch(() => {}); // ends with the idle timeout after the steady phase
  const start = Date.now();
  const tick = 20;
  for (let i = 0; i < steady.length; ) {
    const due = Math.min(steady.length, Math.floor(((Date.now() - start) / 1000) * rate) + 1);
    const slice = steady.slice(i, due);
    const now = Date.now();
    for (const r of slice) sentAt.set(String(r.eventID), now);
    if (slice.length > 0) await runtime.produce(slice.map(toMessage));
    i = due;
    await new Promise((r) => setTimeout(r, tick));
  }
  await reader;
  return latencies;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
