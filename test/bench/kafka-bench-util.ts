// Helpers shared by the Kafka benches (kafka.ts, kafka-scaling.ts): worker processes, their CPU time, waits.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

/** USER_HZ: the unit of /proc/<pid>/stat CPU times (100 on Linux x86-64 and arm64). */
const CLOCK_TICKS = 100;

/**
 * A keywatch worker as a child process (`nodeArgs` e.g. for --cpu-prof, `env` added to ours, e.g. a
 * `KEYWATCH_*` override); its stderr goes to ours.
 */
export function spawnWorker(
  role: string,
  configPath: string,
  nodeArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
): ChildProcess {
  const main = resolve(import.meta.dirname, '../../services/worker/src/main.ts');
  return spawn(process.execPath, [...nodeArgs, main, '--role', role, '--config', configPath], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
}

/** A TCP port free on 127.0.0.1 right now (for a worker's /metrics). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise((closed) => server.close(closed));
  return port;
}

/** A worker's committed batches (one transaction each) and the records they held, from its /metrics. */
export interface BatchCounts {
  batches: number;
  records: number;
}

/** Reads `keywatch_batch_duration_seconds_count` (committed) and `keywatch_records_in_total` of one stage. */
export async function batchCounts(port: number, stage: string): Promise<BatchCounts> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  // Sums the samples of `name` whose labels include all of `labels` (in whatever order they are printed).
  const sum = (name: string, labels: string[]) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) && labels.every((label) => line.includes(label)))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return {
    batches: sum('keywatch_batch_duration_seconds_count', [`stage="${stage}"`, 'outcome="committed"']),
    records: sum('keywatch_records_in_total', [`stage="${stage}"`]),
  };
}

/** Batches between two readings, records per batch and batches (transactions) per second over `seconds`. */
export function batchRates(from: BatchCounts, to: BatchCounts, seconds: number) {
  const batches = to.batches - from.batches;
  const records = to.records - from.records;
  return {
    batches,
    recordsPerBatch: batches > 0 ? round1(records / batches) : 0,
    transactionsPerSecond: round1(batches / seconds),
  };
}

/** SIGTERM, then wait for the exit (a worker commits its batch in flight and leaves its group). */
export function stopAndWait(child: ChildProcess): Promise<void> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveExit();
    child.once('exit', () => resolveExit());
    child.kill('SIGTERM');
  });
}

/** User + system CPU time of a process so far, in µs (Linux /proc). */
export function cpuMicrosOf(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS;
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`benchmark step timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Members of a consumer group once it is Stable (no rebalance in progress), else -1. */
export async function stableMembers(brokers: string[], groupId: string): Promise<number> {
  const admin = new Kafka({ brokers, clientId: 'keywatch-bench-admin', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [group] = (await admin.describeGroups([groupId])).groups;
    return group?.state === 'Stable' ? group.members.length : -1;
  } finally {
    await admin.disconnect();
  }
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
