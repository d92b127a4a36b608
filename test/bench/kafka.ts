// Benchmark of the Kafka runtime on the real broker (a script, not a test):
//   KAFKA_BROKERS=127.0.0.1:9092 bash scripts/node24.sh node test/bench/kafka.ts [--events 50000] [--rate 500] [--json]
// 1. kafkajs consume-only throughput of a raw CloudTrail topic (the ceiling), then the embedded pipeline's CPU per
//    record on the same records (consume-only ÷ consume-only + it bounds the CPU ratio: `cpuRatioCeiling`);
// 2. end-to-end throughput of the same records through normalize → detect (child processes, transactions);
// 3. event-to-alert latency (produce of the raw record → alert visible to a read_committed reader) at a
//    steady rate, with the workers caught up;
// 4. the same records through normalize-detect (both stages in one process, no events topic): throughput from
//    the same raw topic with its own group and output topics, then latency at the same steady rate;
// 5. kafkajs and @platformatic/kafka side by side: produce, consume-only, transactions (--skip-clients to skip).
// --scale 1,2,4: instead of all that, N detect workers on an N-partition events topic for each N
//   (test/bench/kafka-scaling.ts).
// --fused-workers 1,2: also normalize-detect with N workers on the raw topic for each N (throughput only, the
//   clock from when the group is Stable with all N; records committed before are left out).
// Batches: each worker's committed batches (one transaction each) and records per batch, read from its /metrics
//   before and after the throughput phase and the steady phase (`batches` in the JSON).
// --profile DIR: CPU profiles of the consume-only consumer and of each worker during the throughput phase
//   of both topologies (no latency phase), summarised with test/bench/cpu-profile.ts.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { withDefaults } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import { createKafka } from '@keywatch/kafka';
import { createEmbeddedPipeline } from '@keywatch/pipeline';
import { EMPTY_REGISTRY } from '@keywatch/registry';
import { MemoryProfileStore } from '@keywatch/state';
import { Kafka, logLevel } from 'kafkajs';
import { stringify } from 'yaml';
import { cloudTrailStream } from '../integration/kafka-stream.ts';
import {
  type BatchCounts,
  batchCounts,
  batchRates,
  cpuMicrosOf,
  freePort,
  round1,
  spawnWorker,
  stableMembers,
  stopAndWait,
  waitUntil,
} from './kafka-bench-util.ts';
import { type ClientNumbers, compareClients } from './kafka-clients.ts';
import { runScaling } from './kafka-scaling.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '50000' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '15' },
    partitions: { type: 'string', default: '6' },
    json: { type: 'boolean', default: false },
    profile: { type: 'string' },
    concurrent: { type: 'string' },
    'skip-clients': { type: 'boolean', default: false },
    scale: { type: 'string' },
    'fused-workers': { type: 'string' },
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
const groups = {
  normalize: `bench-normalize-${id}`,
  detect: `bench-detect-${id}`,
  normalizeDetect: `bench-normalize-detect-${id}`,
};
// normalize-detect writes its own alerts and changelog (same raw topic, same records).
const fusedTopics = { alerts: `bench-fused-alerts-${id}`, state: `bench-fused-state-${id}` };
await runtime.ensureTopics([{ topic: topics.raw, partitions }]);

const steadyCount = rate * steadySeconds;
/** The workers' detect settings (and the embedded pipeline's, for the ceiling). */
const DETECT_SETTINGS = { learning: { minEvents: 20, minDays: 0 } };
// The records after `total`: one steady phase for each topology, the fused one continuing the stream.
const records = cloudTrailStream({ keys: 200, events: total + 2 * steadyCount, seed: 1 });
const keyOf = (r: Record<string, unknown>) => (r.userIdentity as { accessKeyId: string }).accessKeyId;
if (args.scale) {
  const counts = args.scale.split(',').map(Number);
  const rows = await runScaling({ runtime, brokers, counts, records: records.slice(0, total), dir, log });
  if (args.json) process.stdout.write(`${JSON.stringify({ records: total, scaling: rows })}\n`);
  else console.table(rows);
  await runtime.close();
  process.exit(0);
}
const toMessage = (r: Record<string, unknown>) => ({ topic: topics.raw, key: keyOf(r), value: JSON.stringify(r) });
log(`producing ${total} raw CloudTrail records (${(JSON.stringify(records[0]).length / 1024).toFixed(1)} KiB each)`);
for (let i = 0; i < total; i += 5000) await runtime.produce(records.slice(i, Math.min(i + 5000, total)).map(toMessage));

// 1. consume-only ceiling: a kafkajs group consumer that does nothing with the records.
const profileDir = args.profile ? resolve(args.profile) : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const consumeCpuFrom = process.cpuUsage();
const consumeOnly = await profiled('consume-only', () => timeConsumeOnly(topics.raw, total));
const consumeCpu = process.cpuUsage(consumeCpuFrom);
const consumeOnlyCpu = (consumeCpu.user + consumeCpu.system) / total;
log(`kafkajs consume-only: ${Math.round(consumeOnly)} records/s, ${consumeOnlyCpu.toFixed(1)} µs CPU/record`);

// 1b. keywatch's own work on the same records without Kafka: the embedded pipeline, in this process. No topology
// can do less per record than consume-only's client work plus this, which bounds the CPU ratio (`cpuRatioCeiling`).
const embeddedCpu = embeddedCpuMicros(records.slice(0, total).map((r) => JSON.stringify(r)));
const cpuRatioCeiling = Number((consumeOnlyCpu / (consumeOnlyCpu + embeddedCpu)).toFixed(3));
log(`embedded pipeline: ${embeddedCpu.toFixed(1)} µs CPU/record; CPU ratio ceiling ${cpuRatioCeiling}`);

// 2. end to end through the workers.
const workerConfig = (outputs: { alerts: string; state: string }, groupsOf: Record<string, string> = groups) =>
  stringify({
    kafka: {
      brokers,
      clientId: 'keywatch-bench',
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1000,
      ...(args.concurrent ? { concurrentPartitions: Number(args.concurrent) } : {}),
    },
    topics: { events: topics.events, dlq: topics.dlq, ...outputs, partitions },
    groups: groupsOf,
    sources: [{ topic: topics.raw, format: 'cloudtrail' }],
    detect: DETECT_SETTINGS,
    http: { port: 0, host: '127.0.0.1' },
    log: { level: 'warn' },
  });
const configPath = join(dir, 'bench.yaml');
writeFileSync(configPath, workerConfig({ alerts: topics.alerts, state: topics.state }));
const fusedConfigPath = join(dir, 'bench-fused.yaml');
writeFileSync(fusedConfigPath, workerConfig(fusedTopics));
// detect first, and normalize once detect is in its group: detect loads its geo data before joining, and
// that start-up must not fall inside the timed phase.
const profiling = (role: string) =>
  profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${role}.cpuprofile`] : [];
// Each worker serves /metrics on its own port: the bench reads its batch counts there.
const ports = { detect: await freePort(), normalize: await freePort(), normalizeDetect: await freePort() };
const portEnv = (port: number) => ({ KEYWATCH_HTTP__PORT: String(port) });
const workers = [spawnWorker('detect', configPath, profiling('detect'), portEnv(ports.detect))];
const countsOfRoles = async () => ({
  normalize: await batchCounts(ports.normalize, 'normalize'),
  detect: await batchCounts(ports.detect, 'detect'),
});
const ratesOfRoles = (
  from: { normalize: BatchCounts; detect: BatchCounts },
  to: { normalize: BatchCounts; detect: BatchCounts },
  seconds: number,
) => ({ normalize: batchRates(from.normalize, to.normalize, seconds), detect: batchRates(from.detect, to.detect, seconds) });
try {
  await waitUntil(async () => (await stableMembers(brokers, groups.detect)) > 0, 120_000, 100);
  workers.push(spawnWorker('normalize', configPath, profiling('normalize'), portEnv(ports.normalize)));
  // The clock starts at normalize's first commit: process start-up (geo data, group joins) is not throughput.
  await waitUntil(async () => (await committed(groups.normalize, topics.raw)) > 0n, 120_000, 5);
  const started = performance.now();
  const windowFrom = monotonicMicros();
  const cpuFrom = workers.map((w) => cpuMicrosOf(w.pid!));
  const batchesFrom = await countsOfRoles();
  await waitUntil(async () => (await committed(groups.normalize, topics.raw)) >= BigInt(total), 600_000);
  const normalizedAt = performance.now();
  const events = await dataEnd(topics.events);
  await waitUntil(async () => (await committed(groups.detect, topics.events)) >= events, 600_000);
  const e2eSeconds = (performance.now() - started) / 1000;
  // CPU time per event of each worker: on a shared machine wall-clock rates move with other jobs, CPU time much less.
  const [detectCpu, normalizeCpu] = workers.map((w, i) => (cpuMicrosOf(w.pid!) - cpuFrom[i]!) / total);
  const throughputBatches = ratesOfRoles(batchesFrom, await countsOfRoles(), e2eSeconds);
  const endToEnd = total / e2eSeconds;
  log(
    `end to end: ${Math.round(endToEnd)} events/s (${e2eSeconds.toFixed(1)} s; normalize done at ${((normalizedAt - started) / 1000).toFixed(1)} s); ` +
      `CPU µs/event: normalize ${normalizeCpu!.toFixed(1)}, detect ${detectCpu!.toFixed(1)}; ` +
      `records/batch: normalize ${throughputBatches.normalize.recordsPerBatch}, detect ${throughputBatches.detect.recordsPerBatch}`,
  );

  if (profileDir) {
    writeFileSync(join(profileDir, 'window.json'), JSON.stringify({ from: windowFrom, to: monotonicMicros() }));
    await Promise.all(workers.map(stopAndWait));
    await runFused(total);
    log(`profiles in ${profileDir}: bash scripts/node24.sh node test/bench/cpu-profile.ts ${profileDir}`);
    process.exit(0);
  }

  // 3. latency at a steady rate, workers caught up.
  log(`steady phase: ${steadyCount} records at ${rate}/s`);
  const steadyFrom = await countsOfRoles();
  const steadyCpuFrom = workers.map((w) => cpuMicrosOf(w.pid!));
  const latencies = await steadyLatency(records.slice(total, total + steadyCount), topics.alerts);
  // At a steady rate the roles are caught up: batches are small and each one's fixed costs weigh most.
  const [detectSteadyCpu, normalizeSteadyCpu] = workers.map((w, i) => (cpuMicrosOf(w.pid!) - steadyCpuFrom[i]!) / steadyCount);
  const steadyBatches = ratesOfRoles(steadyFrom, await countsOfRoles(), steadySeconds);
  await Promise.all(workers.map(stopAndWait));

  // 4. normalize-detect on the same raw topic: its first `total` records (the two-role steady phase's follow).
  const fused = await runFused(total);
  // Same records, same alerts: those raised by the throughput phase's events, in both topologies (both have seen
  // days of later events since, so nothing of them is still held by the reorder buffer).
  const throughputEvents = new Set(records.slice(0, total).map((r) => String(r.eventID)));
  const [twoRoleAlerts, fusedAlerts] = await Promise.all([
    alertIdsOf(topics.alerts, throughputEvents),
    alertIdsOf(fusedTopics.alerts, throughputEvents),
  ]);
  const sameAlerts = twoRoleAlerts.size === fusedAlerts.size && [...twoRoleAlerts].every((a) => fusedAlerts.has(a));
  if (!sameAlerts) {
    log(`ALERTS DIFFER: two roles ${twoRoleAlerts.size}, normalize-detect ${fusedAlerts.size} for the same records`);
  }
  const fusedWorkers = [];
  for (const n of args['fused-workers']?.split(',').map(Number) ?? []) fusedWorkers.push(await runFusedWorkers(n));

  // 4. the two clients side by side on the same records (issue 13 item 3), with the workers stopped.
  let clients: { kafkajs: ClientNumbers; platformatic: ClientNumbers } | undefined;
  if (!args['skip-clients']) {
    log('clients: kafkajs and @platformatic/kafka, produce / consume-only / transactions, best of 2 passes');
    const sample = records.slice(0, Math.min(total, 30_000)).map((r) => ({ key: keyOf(r), value: JSON.stringify(r) }));
    clients = await compareClients(brokers, sample, log);
  }
  const result = {
    records: total,
    recordBytes: JSON.stringify(records[0]).length,
    partitions,
    consumeOnlyPerSecond: Math.round(consumeOnly),
    endToEndPerSecond: Math.round(endToEnd),
    ratio: Number((endToEnd / consumeOnly).toFixed(3)),
    cpuMicrosPerRecord: {
      consumeOnly: round1(consumeOnlyCpu),
      normalize: round1(normalizeCpu!),
      detect: round1(detectCpu!),
    },
    cpuRatio: Number((consumeOnlyCpu / (normalizeCpu! + detectCpu!)).toFixed(3)),
    // The embedded pipeline's CPU per record, and consume-only ÷ (consume-only + it): the CPU ratio a topology
    // would reach if every Kafka cost beyond consume-only's (producing, transactions, the hop) were free.
    embeddedCpuMicrosPerRecord: round1(embeddedCpu),
    cpuRatioCeiling,
    steadyRate: rate,
    steadyCpuMicrosPerRecord: {
      normalize: round1(normalizeSteadyCpu!),
      detect: round1(detectSteadyCpu!),
      normalizeDetect: round1(fused.steadyCpu),
    },
    alertsMeasured: latencies.length,
    latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: Math.max(...latencies) },
    fused: {
      endToEndPerSecond: Math.round(fused.perSecond),
      ratio: Number((fused.perSecond / consumeOnly).toFixed(3)),
      cpuMicrosPerRecord: round1(fused.cpu),
      cpuRatio: Number((consumeOnlyCpu / fused.cpu).toFixed(3)),
      alertsOfThroughputPhase: fusedAlerts.size,
      sameAlertsAsTwoRoles: sameAlerts,
      alertsMeasured: fused.latencies.length,
      latencyMs: {
        p50: percentile(fused.latencies, 0.5),
        p99: percentile(fused.latencies, 0.99),
        max: Math.max(...fused.latencies),
      },
    },
    // Committed batches (a transaction each), records per batch (input records: raw for normalize and
    // normalize-detect, event packs for detect) and batches per second, in each phase.
    batches: {
      throughput: { ...throughputBatches, normalizeDetect: fused.batches.throughput },
      steady: { ...steadyBatches, normalizeDetect: fused.batches.steady },
    },
    ...(fusedWorkers.length > 0 ? { fusedWorkers } : {}),
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
    ...(clients ? { clients } : {}),
  };
  if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    console.table({
      'kafkajs consume-only (records/s)': result.consumeOnlyPerSecond,
      'end to end normalize→detect (events/s)': result.endToEndPerSecond,
      'ratio (goal ≥ 0.8)': result.ratio,
      'CPU µs/record: consume-only': result.cpuMicrosPerRecord.consumeOnly,
      'CPU µs/event: normalize': result.cpuMicrosPerRecord.normalize,
      'CPU µs/event: detect': result.cpuMicrosPerRecord.detect,
      'CPU ratio (consume-only ÷ normalize + detect)': result.cpuRatio,
      'CPU µs/record: embedded pipeline, no Kafka': result.embeddedCpuMicrosPerRecord,
      'CPU ratio ceiling (consume-only ÷ consume-only + embedded)': result.cpuRatioCeiling,
      [`event→alert p50 at ${rate}/s (ms)`]: result.latencyMs.p50,
      [`event→alert p99 at ${rate}/s (ms, goal < 1000)`]: result.latencyMs.p99,
      'alerts measured': result.alertsMeasured,
      'normalize-detect end to end (records/s)': result.fused.endToEndPerSecond,
      'normalize-detect ratio (goal ≥ 0.8)': result.fused.ratio,
      'CPU µs/record: normalize-detect': result.fused.cpuMicrosPerRecord,
      'CPU ratio (consume-only ÷ normalize-detect)': result.fused.cpuRatio,
      [`normalize-detect event→alert p50 at ${rate}/s (ms)`]: result.fused.latencyMs.p50,
      [`normalize-detect event→alert p99 at ${rate}/s (ms)`]: result.fused.latencyMs.p99,
      'normalize-detect alerts measured': result.fused.alertsMeasured,
      'normalize-detect: same alerts as the two roles': `${result.fused.sameAlertsAsTwoRoles} (${result.fused.alertsOfThroughputPhase})`,
      'records/batch, throughput: normalize / detect / normalize-detect': [
        throughputBatches.normalize.recordsPerBatch,
        throughputBatches.detect.recordsPerBatch,
        fused.batches.throughput.recordsPerBatch,
      ].join(' / '),
      [`CPU µs/record at ${rate}/s: normalize / detect / normalize-detect`]: [
        result.steadyCpuMicrosPerRecord.normalize,
        result.steadyCpuMicrosPerRecord.detect,
        result.steadyCpuMicrosPerRecord.normalizeDetect,
      ].join(' / '),
      [`records/batch at ${rate}/s: normalize / detect / normalize-detect`]: [
        steadyBatches.normalize.recordsPerBatch,
        steadyBatches.detect.recordsPerBatch,
        fused.batches.steady.recordsPerBatch,
      ].join(' / '),
      'load average (1, 5, 15 min) at the end': result.loadAverage.join(' '),
    });
    if (fusedWorkers.length > 0) console.table(fusedWorkers);
    if (clients) {
      const row = (c: ClientNumbers) => ({
        'produce/s': c.produce.perSecond,
        'produce µs': c.produce.cpuMicrosPerRecord,
        'consume/s': c.consumeOnly.perSecond,
        'consume µs': c.consumeOnly.cpuMicrosPerRecord,
        'transactions/s': c.transactions.perSecond,
        'transactions µs': c.transactions.cpuMicrosPerRecord,
      });
      console.table({ kafkajs: row(clients.kafkajs), '@platformatic/kafka': row(clients.platformatic) });
    }
  }
} finally {
  for (const w of workers) w.kill('SIGTERM');
  await runtime.close();
}
process.exit(0);

/**
 * normalize-detect over the raw topic: throughput until `count` records are committed (clock from its first
 * commit, as for the two roles), then, unless profiling, latency at the steady rate. Stops the worker.
 */
async function runFused(count: number) {
  const worker = spawnWorker('normalize-detect', fusedConfigPath, profiling('normalize-detect'), portEnv(ports.normalizeDetect));
  const counts = () => batchCounts(ports.normalizeDetect, 'normalize-detect');
  try {
    await waitUntil(async () => (await committed(groups.normalizeDetect, topics.raw)) > 0n, 120_000, 5);
    const started = performance.now();
    const windowFrom = monotonicMicros();
    const cpuFrom = cpuMicrosOf(worker.pid!);
    const batchesFrom = await counts();
    await waitUntil(async () => (await committed(groups.normalizeDetect, topics.raw)) >= BigInt(count), 600_000);
    const seconds = (performance.now() - started) / 1000;
    const cpu = (cpuMicrosOf(worker.pid!) - cpuFrom) / count;
    const throughput = batchRates(batchesFrom, await counts(), seconds);
    log(
      `normalize-detect: ${Math.round(count / seconds)} records/s (${seconds.toFixed(1)} s); CPU µs/record ${cpu.toFixed(1)}; ` +
        `records/batch ${throughput.recordsPerBatch}`,
    );
    if (profileDir) {
      const window = { from: windowFrom, to: monotonicMicros() };
      writeFileSync(join(profileDir, 'window.normalize-detect.json'), JSON.stringify(window));
      return {
        perSecond: count / seconds,
        cpu,
        latencies: [],
        steadyCpu: Number.NaN,
        batches: { throughput, steady: throughput },
      };
    }
    // Caught up with what the raw topic holds (the two-role steady phase's records too) before the steady phase.
    const rawEnd = await dataEnd(topics.raw);
    await waitUntil(async () => (await committed(groups.normalizeDetect, topics.raw)) >= rawEnd, 600_000);
    log(`normalize-detect steady phase: ${steadyCount} records at ${rate}/s`);
    const steadyFrom = await counts();
    const steadyCpuFrom = cpuMicrosOf(worker.pid!);
    const latencies = await steadyLatency(records.slice(total + steadyCount), fusedTopics.alerts);
    const steadyCpu = (cpuMicrosOf(worker.pid!) - steadyCpuFrom) / steadyCount;
    const steady = batchRates(steadyFrom, await counts(), steadySeconds);
    return { perSecond: count / seconds, cpu, latencies, steadyCpu, batches: { throughput, steady } };
  } finally {
    await stopAndWait(worker);
  }
}

/**
 * normalize-detect with `n` workers in one group on the raw topic (every record it holds by now), each with its own
 * output topics: records/s and CPU per record summed over the workers, from when the group is Stable with all n.
 */
async function runFusedWorkers(n: number) {
  const group = `${groups.normalizeDetect}-x${n}`;
  const path = join(dir, `bench-fused-x${n}.yaml`);
  const outputs = { alerts: `${fusedTopics.alerts}-x${n}`, state: `${fusedTopics.state}-x${n}` };
  writeFileSync(path, workerConfig(outputs, { ...groups, normalizeDetect: group }));
  const children = Array.from({ length: n }, () => spawnWorker('normalize-detect', path));
  try {
    await waitUntil(async () => (await stableMembers(brokers, group)) === n, 120_000, 20);
    const from = await committed(group, topics.raw);
    const started = performance.now();
    const cpuFrom = children.map((c) => cpuMicrosOf(c.pid!));
    const end = await dataEnd(topics.raw);
    await waitUntil(async () => (await committed(group, topics.raw)) >= end, 600_000);
    const seconds = (performance.now() - started) / 1000;
    const processed = Number(end - from);
    const cpu = children.reduce((sum, c, i) => sum + cpuMicrosOf(c.pid!) - cpuFrom[i]!, 0) / processed;
    log(
      `normalize-detect × ${n}: ${Math.round(processed / seconds)} records/s over ${processed} records; CPU µs/record ${cpu.toFixed(1)}`,
    );
    return {
      workers: n,
      recordsMeasured: processed,
      recordsBeforeStable: Number(from),
      perSecond: Math.round(processed / seconds),
      ratio: Number((processed / seconds / consumeOnly).toFixed(3)),
      cpuMicrosPerRecord: round1(cpu),
    };
  } finally {
    await Promise.all(children.map(stopAndWait));
  }
}

/** Ids of the alerts (first versions and updates alike) of a topic whose first evidence event is one of `events`. */
async function alertIdsOf(topic: string, events: Set<string>): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const record of runtime.replay({ topic, idleTimeoutMs: 20_000 })) {
    const alert = JSON.parse(String(record.value)) as { event: { id: string }; keywatch: { evidence: { event_ids: string[] } } };
    if (events.has(alert.keywatch.evidence.event_ids[0] ?? '')) ids.add(alert.event.id);
  }
  return ids;
}

/**
 * CPU µs per record of the embedded pipeline (`keywatch run`'s: normalize with the line's pre-scan, reorder, detect,
 * profiles as objects) with the workers' detect settings, best of 3 passes after one untimed pass (geo data loaded).
 */
function embeddedCpuMicros(lines: string[]): number {
  const geo = createGeoLookup();
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 4; pass++) {
    const pipeline = createEmbeddedPipeline(
      { format: 'cloudtrail' },
      { geo, registry: EMPTY_REGISTRY, store: new MemoryProfileStore(), options: withDefaults(DETECT_SETTINGS) },
      { alert: () => {}, deadLetter: () => {} },
    );
    const from = process.cpuUsage();
    for (const [i, text] of lines.entries()) pipeline.push({ value: JSON.parse(text), text }, { file: 'bench', line: i + 1 });
    pipeline.finish();
    const used = process.cpuUsage(from);
    if (pass > 0) best = Math.min(best, (used.user + used.system) / lines.length);
  }
  return best;
}

/** CLOCK_MONOTONIC in µs: the clock V8 stamps profile samples with, the same in every process. */
function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Runs `work`, with this process's CPU profile written to the profile directory when there is one. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!profileDir) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(profileDir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
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

/** Produces records at the given rate; returns ms from each triggering record's produce to its alert's arrival. */
async function steadyLatency(steady: Record<string, unknown>[], alertsTopic: string): Promise<number[]> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const reader = (async () => {
    for await (const record of runtime.replay({ topic: alertsTopic, follow: true, idleTimeoutMs: 5000 })) {
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
