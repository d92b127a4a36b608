// Shared plumbing for the Kafka runtime tests: unique names, worker configs, child workers, bounded waits.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EcsAlert } from '@keywatch/alerts';
import { withDefaults } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import { createKafka, type KafkaRuntime } from '@keywatch/kafka';
import { createLogger, createMetrics, type Metrics, startOpsServer } from '@keywatch/ops';
import { createEmbeddedPipeline } from '@keywatch/pipeline';
import { EMPTY_REGISTRY } from '@keywatch/registry';
import { MemoryProfileStore } from '@keywatch/state';
import { afterAll, beforeAll, inject } from 'vitest';
import { stringify } from 'yaml';

export const WORKER_MAIN = resolve(import.meta.dirname, '../../services/worker/src/main.ts');
export const workDir = mkdtempSync(join(tmpdir(), 'keywatch-kafka-it-'));

export const unique = (purpose: string) => `kw-it-${purpose}-${randomUUID().slice(0, 8)}`;

export interface TopicNames {
  events: string;
  dlq: string;
  alerts: string;
  state: string;
}

/** A worker config for tests: short session timeouts (fast failover), small fetches (many batches). */
export function workerConfig(opts: {
  brokers: string;
  topics: TopicNames;
  groups: { normalize?: string; detect?: string; dispatch?: string; normalizeDetect?: string };
  instanceId: string;
  sources?: { topic: string; format: string }[];
  partitions?: number;
  maxBytesPerPartition?: number;
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    kafka: {
      brokers: opts.brokers.split(','),
      clientId: 'keywatch-it',
      instanceId: opts.instanceId,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 500,
      transactionTimeoutMs: 10_000,
      maxBytesPerPartition: opts.maxBytesPerPartition ?? 8192,
    },
    topics: { ...opts.topics, partitions: opts.partitions ?? 6 },
    groups: opts.groups,
    sources: opts.sources ?? [],
    // Events in arrival order: these tests are about other things (kafka-order.test.ts tests the reorder buffer).
    detect: { learning: { minEvents: 5, minDays: 0 }, latenessSeconds: 0 },
    http: { port: 0, host: '127.0.0.1' },
    log: { level: 'info' },
    ...opts.extra,
  };
}

export function writeConfig(name: string, config: Record<string, unknown>): string {
  const path = join(workDir, `${name}.yaml`);
  writeFileSync(path, stringify(config));
  return path;
}

export interface ChildWorker {
  readonly child: ChildProcess;
  readonly logPath: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `services/worker/src/main.ts` as a child process on this Node (24), logs to a file. */
export function spawnWorker(role: string, configPath: string, name: string): ChildWorker {
  const logPath = join(workDir, `${name}.log`);
  const log = createWriteStream(logPath, { flags: 'a' });
  // No --disable-warning: the worker itself keeps kafkajs' negative-timer warning out of its output.
  const child = spawn(process.execPath, [WORKER_MAIN, '--role', role, '--config', configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  });
  return { child, logPath, exited };
}

/** Polls `check` until it returns true; fails naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Records of a group committed so far over all partitions of a topic. */
export async function committedTotal(runtime: KafkaRuntime, groupId: string, topic: string): Promise<bigint> {
  let total = 0n;
  for (const offset of (await runtime.committedOffsets(groupId, topic)).values()) total += offset;
  return total;
}

/** True when the group has committed every partition of the topic up to its end offset. */
export async function caughtUp(runtime: KafkaRuntime, groupId: string, topic: string): Promise<boolean> {
  const ends = await runtime.endOffsets(topic);
  const committed = await runtime.committedOffsets(groupId, topic);
  return [...ends].every(([p, end]) => end === 0n || committed.get(p) === end);
}

/** Every committed record of a topic (read_committed), parsed. */
export async function readAll<T>(runtime: KafkaRuntime, topic: string): Promise<{ value: T; headers: Record<string, string> }[]> {
  const out: { value: T; headers: Record<string, string> }[] = [];
  for await (const record of runtime.replay({ topic, idleTimeoutMs: 20_000 })) {
    out.push({ value: JSON.parse(record.value?.toString('utf8') ?? 'null') as T, headers: record.headers });
  }
  return out;
}

/** Alerts by id; fails on a duplicate id (a duplicate visible to a read_committed reader is a bug). */
export async function alertsById(runtime: KafkaRuntime, topic: string): Promise<Map<string, EcsAlert>> {
  const byId = new Map<string, EcsAlert>();
  for (const { value } of await readAll<EcsAlert>(runtime, topic)) {
    if (byId.has(value.event.id)) throw new Error(`alert ${value.event.id} is in ${topic} twice`);
    byId.set(value.event.id, value);
  }
  return byId;
}

/** Starts one role in this process, logging to a file in workDir; the caller stops it. */
export async function startInProcess(
  role: 'normalize' | 'detect' | 'dispatch' | 'normalize-detect',
  config: Record<string, unknown>,
  opts: { metrics?: Metrics; env?: NodeJS.ProcessEnv } = {},
) {
  const { parseWorkerConfig, startWorker } = await import('@keywatch/worker');
  const name = `${role}-${randomUUID().slice(0, 8)}`;
  const logger = createLogger({ name, destination: createWriteStream(join(workDir, `${name}.log`)) as never });
  return startWorker(role, parseWorkerConfig(config, name), {
    logger,
    metrics: opts.metrics ?? createMetrics(),
    ...(opts.env ? { env: opts.env } : {}),
  });
}

/** Runs a role in this process until the group has consumed the topic, then stops it. */
export async function runInProcess(
  role: 'normalize' | 'detect',
  config: Record<string, unknown>,
  until: { runtime: KafkaRuntime; groupId: string; topic: string },
  timeoutMs = 90_000,
  metrics?: Metrics,
): Promise<void> {
  const worker = await startInProcess(role, config, metrics ? { metrics } : {});
  try {
    await waitFor(`${role} to consume ${until.topic}`, () => caughtUp(until.runtime, until.groupId, until.topic), timeoutMs, 200);
  } finally {
    await worker.stop();
  }
}

/**
 * A generated CloudTrail stream, normalized, to be produced (keyed by credential id) to a new events topic
 * in slices, so tests can change the worker group while the stream is still arriving.
 */
export async function eventStream(
  runtime: KafkaRuntime,
  opts: { keys: number; events: number; seed: number; partitions: number },
): Promise<{ topic: string; count: number; times: number[]; produce(from: number, to?: number): Promise<void> }> {
  const { normalizeRecord } = await import('@keywatch/sources');
  const { cloudTrailStream } = await import('./kafka-stream.ts');
  const topic = unique('events');
  await runtime.ensureTopics([{ topic, partitions: opts.partitions }]);
  const events = cloudTrailStream(opts).flatMap((r) => normalizeRecord(r, { format: 'cloudtrail' }).events);
  const records = events.map((e) => ({ topic, key: e.credentialId, value: JSON.stringify(e) }));
  return {
    topic,
    count: records.length,
    times: events.map((e) => Date.parse(e.time)),
    produce: (from, to) => runtime.produce(records.slice(from, to)),
  };
}

/**
 * The crash scenario of the exactly-once tests: the stream arrives in three slices while a child worker of `role`
 * is SIGKILLed twice mid-stream (after 20% and 55% of the records are committed), each time with more of the
 * stream still to come; the same instance comes back and finishes it.
 */
export async function killTwiceMidStream(opts: {
  runtime: KafkaRuntime;
  role: string;
  configPath: string;
  groupId: string;
  topic: string;
  count: number;
  produce(from: number, to?: number): Promise<void>;
  name: string;
}): Promise<void> {
  const { runtime, count } = opts;
  const workers: ChildWorker[] = [];
  const killAfter = async (committed: number, name: string) => {
    const worker = spawnWorker(opts.role, opts.configPath, name);
    workers.push(worker);
    await waitFor(
      `${committed} records committed`,
      async () => (await committedTotal(runtime, opts.groupId, opts.topic)) >= BigInt(committed),
      60_000,
      10,
    );
    worker.child.kill('SIGKILL');
    const { signal } = await worker.exited;
    if (signal !== 'SIGKILL')
      throw new Error(`${name} exited before it was killed (${signal ?? 'no signal'}): see ${worker.logPath}`);
  };
  try {
    await opts.produce(0, count / 2);
    await killAfter(count * 0.2, `${opts.name}-first`);
    await opts.produce(count / 2, (count * 3) / 4);
    await killAfter(count * 0.55, `${opts.name}-second`);
    await opts.produce((count * 3) / 4);
    workers.push(spawnWorker(opts.role, opts.configPath, `${opts.name}-third`));
    await waitFor('the restarted worker to finish the stream', () => caughtUp(runtime, opts.groupId, opts.topic), 90_000, 200);
  } finally {
    await killAll(workers);
  }
}

/**
 * The alerts of the embedded pipeline (`keywatch run`) over the records, with the detect settings of workerConfig:
 * the learning period it sets, events in arrival order.
 */
export function embeddedAlerts(records: Record<string, unknown>[]): Map<string, EcsAlert> {
  const alerts = new Map<string, EcsAlert>();
  const pipeline = createEmbeddedPipeline(
    { format: 'cloudtrail' },
    {
      geo: createGeoLookup(),
      registry: EMPTY_REGISTRY,
      store: new MemoryProfileStore(),
      options: withDefaults({ learning: { minEvents: 5, minDays: 0 } }),
    },
    { alert: (a) => alerts.set(a.event.id, a), deadLetter: () => {} },
    { latenessSeconds: 0 }, // events in arrival order, as the detect worker sees them
  );
  records.forEach((value, i) => {
    pipeline.push({ value }, { file: 'generated', line: i + 1 });
  });
  return alerts;
}

/** Stops child workers that are still running (a failed test must not leave them behind), bounded. */
export async function killAll(workers: ChildWorker[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await Promise.race([Promise.all(workers.map((w) => w.exited)), new Promise((r) => setTimeout(r, 10_000))]);
}

/** Fresh output topics and group for one detect run over a shared events topic. */
export function detectRun(name: string, eventsTopic: string): { topics: TopicNames; group: string } {
  return {
    topics: { events: eventsTopic, dlq: unique(`${name}-dlq`), alerts: unique(`${name}-alerts`), state: unique(`${name}-state`) },
    group: unique(`${name}-detect`),
  };
}

/** The alerts of one uninterrupted single-worker detect run over the events topic. */
export async function referenceAlerts(
  runtime: KafkaRuntime,
  brokers: string,
  eventsTopic: string,
): Promise<Map<string, EcsAlert>> {
  const run = detectRun('ref', eventsTopic);
  await runInProcess(
    'detect',
    workerConfig({ brokers, topics: run.topics, groups: { detect: run.group }, instanceId: 'ref-1' }),
    {
      runtime,
      groupId: run.group,
      topic: eventsTopic,
    },
  );
  return alertsById(runtime, run.topics.alerts);
}

/** What differs between two alert sets, readable in a failure message. */
export function alertSetDiff(expected: Map<string, EcsAlert>, actual: Map<string, EcsAlert>): string[] {
  const describe = (a: EcsAlert) =>
    `${a.rule.id} key=${a.keywatch.key.id} at ${a['@timestamp']} events=${a.keywatch.evidence.event_ids.join(',')}`;
  const missing = [...expected].filter(([id]) => !actual.has(id)).map(([, a]) => `missing ${describe(a)}`);
  const extra = [...actual].filter(([id]) => !expected.has(id)).map(([, a]) => `extra ${describe(a)}`);
  const changed = [...expected]
    .filter(([id, a]) => actual.has(id) && JSON.stringify(actual.get(id)) !== JSON.stringify(a))
    .map(([, a]) => `changed ${describe(a)}`);
  return [...missing, ...extra, ...changed].sort((x, y) => x.split(' at ')[1]!.localeCompare(y.split(' at ')[1]!));
}

/**
 * A Kafka runtime for one test file: connected before its tests, closed after them. Returns a getter,
 * since the runtime exists only once `beforeAll` has run.
 */
export function useKafkaRuntime(clientId: string): () => KafkaRuntime {
  let runtime: KafkaRuntime | undefined;
  beforeAll(() => {
    runtime = createKafka({ brokers: inject('kafkaBrokers').split(','), clientId });
  });
  afterAll(async () => {
    await runtime?.close();
  });
  return () => {
    if (runtime === undefined) throw new Error('useKafkaRuntime: the runtime is only there inside tests');
    return runtime;
  };
}

/**
 * A worker's metrics served on /metrics as main.ts serves them (process metrics included), for the test to scrape;
 * closed after the file's tests.
 */
export async function servedMetrics(): Promise<{ metrics: Metrics; scrape(): Promise<Scrape> }> {
  const metrics = createMetrics({ defaultMetrics: true });
  const server = await startOpsServer({
    port: 0,
    host: '127.0.0.1',
    registry: metrics.registry,
    readiness: () => ({ ready: true, detail: '' }),
  });
  afterAll(() => server.close());
  return {
    metrics,
    async scrape() {
      const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
      return parseScrape(await response.text());
    },
  };
}

/** A scrape's samples: `value(name, labels)` is the sample with exactly those labels, undefined when absent. */
export interface Scrape {
  text: string;
  value(name: string, labels?: Record<string, string>): number | undefined;
}

function parseScrape(text: string): Scrape {
  // Keyed by name and sorted labels, so a lookup does not depend on the order the exporter writes them in.
  const keyOf = (name: string, labels: [string, string][]) =>
    `${name}{${labels
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}}`;
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m): [string, string] => [
      m[1]!,
      m[2]!,
    ]);
    samples.set(keyOf(match[1]!, labels), Number(match[3]));
  }
  return { text, value: (name, labels = {}) => samples.get(keyOf(name, Object.entries(labels))) };
}
