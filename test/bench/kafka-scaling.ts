// Scaling out detect (issue 13 item 4): N detect workers on an N-partition events topic, for each N asked.
// The events are normalized here, in the bench process, packed per key as normalize packs them, and produced
// before the workers start, so only detect is measured. The clock starts once the group is Stable with all N members (each worker loads its
// geo data before joining), and counts the events committed after that point.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaRuntime, OutputRecord } from '@keywatch/kafka';
import { baselineSubject } from '@keywatch/pipeline';
import { normalizeLine } from '@keywatch/sources';
import { EventPacks } from '@keywatch/worker';
import { stringify } from 'yaml';
import { cpuMicrosOf, round1, spawnWorker, stableMembers, stopAndWait, waitUntil } from './kafka-bench-util.ts';

export interface ScalingRow {
  workers: number;
  /** Events committed while all N members were in the group, per second. */
  eventsPerSecond: number;
  perWorker: number;
  /** eventsPerSecond ÷ (N × the one-worker rate): 1 is linear. */
  ratioToLinear: number;
  /** CPU time of all workers over the measured events, per event. */
  cpuMicrosPerEvent: number;
  /** Events processed before the last member joined, not in the rate. */
  eventsBeforeStable: number;
}

export async function runScaling(opts: {
  runtime: KafkaRuntime;
  brokers: string[];
  counts: number[];
  records: Record<string, unknown>[];
  dir: string;
  log: (msg: string) => void;
}): Promise<ScalingRow[]> {
  // As normalize writes them: packed per key, per batch of about what a 1 MiB fetch of raw records holds.
  const events = opts.records.flatMap((r) => normalizeLine(JSON.stringify(r), { format: 'cloudtrail' }).events);
  const packed: OutputRecord[] = [];
  for (let i = 0; i < events.length; i += 1000) {
    const packs = new EventPacks('events', packed);
    for (const e of events.slice(i, i + 1000)) packs.add(baselineSubject(e), JSON.stringify(e));
    packs.flush();
  }
  opts.log(`scaling: ${events.length} canonical events in ${packed.length} records, detect workers ${opts.counts.join(', ')}`);
  const rows: ScalingRow[] = [];
  for (const n of opts.counts) {
    const row = await measureDetect(opts, packed, events.length, n);
    const one = rows.find((r) => r.workers === 1)?.eventsPerSecond ?? (n === 1 ? row.eventsPerSecond : Number.NaN);
    row.ratioToLinear = Number((row.eventsPerSecond / (n * one)).toFixed(2));
    rows.push(row);
    opts.log(
      `scaling: ${n} worker(s): ${row.eventsPerSecond} events/s, ${row.perWorker} per worker, ratio to linear ${row.ratioToLinear}, ` +
        `${row.cpuMicrosPerEvent} µs CPU/event (${row.eventsBeforeStable} events before all joined)`,
    );
  }
  return rows;
}

async function measureDetect(
  opts: { runtime: KafkaRuntime; brokers: string[]; dir: string },
  records: OutputRecord[],
  eventCount: number,
  n: number,
): Promise<ScalingRow> {
  const id = randomUUID().slice(0, 8);
  const topics = {
    events: `bench-scale-events-${id}`,
    dlq: `bench-scale-dlq-${id}`,
    alerts: `bench-scale-alerts-${id}`,
    state: `bench-scale-state-${id}`,
  };
  const group = `bench-scale-detect-${id}`;
  await opts.runtime.ensureTopics([{ topic: topics.events, partitions: n }]);
  // 200 records a request: a partition's record batch must stay under the broker's 1 MiB message limit.
  for (let i = 0; i < records.length; i += 200) {
    await opts.runtime.produce(records.slice(i, i + 200).map((r) => ({ ...r, topic: topics.events })));
  }
  const configPath = join(opts.dir, `scale-${n}.yaml`);
  writeFileSync(
    configPath,
    stringify({
      kafka: { brokers: opts.brokers, clientId: 'keywatch-bench', sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 },
      topics: { ...topics, partitions: n },
      groups: { detect: group },
      detect: { learning: { minEvents: 20, minDays: 0 } },
      http: { port: 0, host: '127.0.0.1' },
      log: { level: 'warn' },
    }),
  );
  const workers = Array.from({ length: n }, () => spawnWorker('detect', configPath));
  try {
    await waitUntil(async () => (await stableMembers(opts.brokers, group)) === n, 300_000, 50);
    const from = await committed(opts.runtime, group, topics.events);
    const started = performance.now();
    const cpuFrom = workers.map((w) => cpuMicrosOf(w.pid!));
    await waitUntil(async () => (await committed(opts.runtime, group, topics.events)) >= records.length, 600_000, 20);
    const seconds = (performance.now() - started) / 1000;
    const cpu = workers.reduce((sum, w, i) => sum + cpuMicrosOf(w.pid!) - cpuFrom[i]!, 0);
    // Offsets count records; the events are spread evenly enough over them to scale by the mean.
    const measured = ((records.length - from) / records.length) * eventCount;
    const eventsPerSecond = Math.round(measured / seconds);
    return {
      workers: n,
      eventsPerSecond,
      perWorker: Math.round(eventsPerSecond / n),
      ratioToLinear: Number.NaN,
      cpuMicrosPerEvent: round1(cpu / measured),
      eventsBeforeStable: Math.round((from / records.length) * eventCount),
    };
  } finally {
    await Promise.all(workers.map(stopAndWait));
  }
}

async function committed(runtime: KafkaRuntime, group: string, topic: string): Promise<number> {
  let sum = 0n;
  for (const offset of (await runtime.committedOffsets(group, topic)).values()) sum += offset;
  return Number(sum);
}
