// Helpers shared by the Kafka benches (kafka.ts, kafka-scaling.ts): worker processes, their CPU time, waits.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

/** USER_HZ: the unit of /proc/<pid>/stat CPU times (100 on Linux x86-64 and arm64). */
const CLOCK_TICKS = 100;

/** A keywatch worker as a child process (`nodeArgs` e.g. for --cpu-prof); its stderr goes to ours. */
export function spawnWorker(role: string, configPath: string, nodeArgs: string[] = []): ChildProcess {
  const main = resolve(import.meta.dirname, '../../services/worker/src/main.ts');
  return spawn(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', ...nodeArgs, main, '--role', role, '--config', configPath],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
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
