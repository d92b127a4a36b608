// Exactly-once across a crash: a detect worker (child process) is killed with SIGKILL mid-stream and
// restarted; the alerts a read_committed reader sees equal those of a run that was never interrupted.
import { describe, expect, inject, it } from 'vitest';
import {
  alertSetDiff,
  alertsById,
  detectRun,
  eventStream,
  killTwiceMidStream,
  referenceAlerts,
  useKafkaRuntime,
  workerConfig,
  writeConfig,
} from './kafka-harness.ts';

const brokers = inject('kafkaBrokers');
const kafka = useKafkaRuntime('keywatch-it-crash');

describe('detect worker killed with SIGKILL mid-stream, twice', () => {
  it('ends with exactly the alerts of an uninterrupted run', async () => {
    const stream = await eventStream(kafka(), { keys: 30, events: 4000, seed: 7, partitions: 6 });
    expect(stream.count).toBe(4000);
    const run = detectRun('crash', stream.topic);
    const configPath = writeConfig(
      'crash',
      workerConfig({ brokers, topics: run.topics, groups: { detect: run.group }, instanceId: 'crash-1' }),
    );
    // Killed twice, each time with more of the stream still to come; the same instance comes back.
    await killTwiceMidStream({
      runtime: kafka(),
      role: 'detect',
      configPath,
      groupId: run.group,
      topic: stream.topic,
      count: stream.count,
      produce: stream.produce,
      name: 'crash',
    });

    const expected = await referenceAlerts(kafka(), brokers, stream.topic);
    expect(expected.size).toBeGreaterThan(20);
    // alertsById fails on any alert id seen twice by this read_committed reader.
    const actual = await alertsById(kafka(), run.topics.alerts);
    expect(alertSetDiff(expected, actual)).toEqual([]);
  }, 240_000);
});
