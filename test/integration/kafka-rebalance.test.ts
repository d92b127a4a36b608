// State moves with its partition: two detect workers, a third joins mid-stream, then one is killed.
// The alerts equal a single-worker run: no lost baselines (no burst of false new_ip alerts), no duplicates.
import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';
import {
  alertSetDiff,
  alertsById,
  type ChildWorker,
  caughtUp,
  committedTotal,
  detectRun,
  eventStream,
  killAll,
  referenceAlerts,
  spawnWorker,
  useKafkaRuntime,
  waitFor,
  workerConfig,
  writeConfig,
} from './kafka-harness.ts';

const brokers = inject('kafkaBrokers');
const kafka = useKafkaRuntime('keywatch-it-rebalance');

describe('detect workers joining and dying mid-stream', () => {
  it('produce the alerts of a single-worker run', async () => {
    const stream = await eventStream(kafka(), { keys: 40, events: 9000, seed: 11, partitions: 6 });
    const run = detectRun('rebalance', stream.topic);
    const config = (instanceId: string) =>
      writeConfig(
        `rebalance-${instanceId}`,
        workerConfig({ brokers, topics: run.topics, groups: { detect: run.group }, instanceId }),
      );
    const workers: ChildWorker[] = [];
    try {
      await stream.produce(0, 3000);
      workers.push(spawnWorker('detect', config('r1'), 'rebalance-r1'), spawnWorker('detect', config('r2'), 'rebalance-r2'));
      await waitFor(
        '1500 events committed by r1 and r2',
        async () => (await committedTotal(kafka(), run.group, stream.topic)) >= 1500n,
        60_000,
        20,
      );

      workers.push(spawnWorker('detect', config('r3'), 'rebalance-r3'));
      await waitFor('r3 to own partitions', () => ownsPartitions(workers[2]!), 30_000, 100);
      await stream.produce(3000, 6000);

      workers[0]!.child.kill('SIGKILL');
      expect((await workers[0]!.exited).signal).toBe('SIGKILL');
      await stream.produce(6000);
      await waitFor('the survivors to finish the stream', () => caughtUp(kafka(), run.group, stream.topic), 120_000, 200);
      // r1's partitions really moved: the survivors were assigned all six after it died.
      expect(await everyPartitionOwnedBySurvivors(workers.slice(1))).toBe(true);
    } finally {
      await killAll(workers);
    }

    const expected = await referenceAlerts(kafka(), brokers, stream.topic);
    expect(expected.size).toBeGreaterThan(20);
    const actual = await alertsById(kafka(), run.topics.alerts);
    const newIp = (alerts: Map<string, { rule: { id: string } }>) =>
      [...alerts.values()].filter((a) => a.rule.id === 'new_ip').length;
    expect(newIp(actual)).toBe(newIp(expected));
    expect(alertSetDiff(expected, actual)).toEqual([]);
  }, 300_000);
});

/** Events partitions each worker was last assigned, from its "partitions assigned" log lines. */
async function lastAssignment(worker: ChildWorker): Promise<number[]> {
  const text = await readFile(worker.logPath, 'utf8').catch(() => '');
  const lines = text.split('\n').filter((line) => line.includes('"partitions assigned"'));
  const last = lines.at(-1);
  if (!last) return [];
  const assignment = (JSON.parse(last) as { assignment: Record<string, number[]> }).assignment;
  return Object.values(assignment).flat();
}

async function ownsPartitions(worker: ChildWorker): Promise<boolean> {
  return (await lastAssignment(worker)).length > 0;
}

async function everyPartitionOwnedBySurvivors(survivors: ChildWorker[]): Promise<boolean> {
  const owned = (await Promise.all(survivors.map(lastAssignment))).flat();
  return [0, 1, 2, 3, 4, 5].every((p) => owned.includes(p));
}
