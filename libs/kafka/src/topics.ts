import type { Admin } from 'kafkajs';
import type { TopicSpec } from './types.ts';

/**
 * Creates missing topics and checks existing ones have the partition count the topology relies on.
 * A mismatch is an error naming the topic: the state changelog must line up with the events topic.
 */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.partitions,
        replicationFactor: s.replicationFactor ?? 1,
        configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  await leadersElected(
    admin,
    specs.map((s) => s.topic),
  );
  const counts = await partitionCounts(
    admin,
    specs.map((s) => s.topic),
  );
  const problems = specs
    .filter((s) => counts.get(s.topic) !== s.partitions)
    .map((s) => `topic ${s.topic} has ${counts.get(s.topic) ?? 0} partitions, expected ${s.partitions}`);
  if (problems.length > 0) throw new Error(problems.join('; '));
}

/** Partition count per topic; topics that do not exist are absent from the map. */
export async function partitionCounts(admin: Admin, topics: string[]): Promise<Map<string, number>> {
  const existing = new Set(await admin.listTopics());
  const present = topics.filter((t) => existing.has(t));
  if (present.length === 0) return new Map();
  const metadata = await admin.fetchTopicMetadata({ topics: present });
  return new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
}

/**
 * Waits (bounded) until every partition has a leader: a topic another worker has just created may not have
 * one yet, and the first offset or restore request would fail with "not the leader".
 */
async function leadersElected(admin: Admin, topics: string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const metadata = await admin.fetchTopicMetadata({ topics }).catch(() => null);
    const ready = metadata?.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)) ?? false;
    if (ready) return;
    if (Date.now() > deadline)
      throw new Error(`topics ${topics.join(', ')}: no leader for every partition after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
