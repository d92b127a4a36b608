import type { KafkaRuntime, TopicSpec } from '@keywatch/kafka';
import type { WorkerConfig } from './config.ts';

export type Role = 'normalize' | 'detect' | 'dispatch';
export const ROLES: readonly Role[] = ['normalize', 'detect', 'dispatch'];

/** The topics a role reads or writes, with the partition counts and configs keywatch wants. */
export function topicSpecs(config: WorkerConfig, role: Role): TopicSpec[] {
  const { topics } = config;
  const spec = (topic: string, extra: Partial<TopicSpec> = {}): TopicSpec => ({
    topic,
    partitions: topics.partitions,
    replicationFactor: topics.replicationFactor,
    ...extra,
  });
  const events = spec(topics.events);
  const alerts = spec(topics.alerts);
  // The changelog keeps the latest profile per key forever: compaction, not retention, bounds it.
  const state = spec(topics.state, { config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0' } });
  switch (role) {
    case 'normalize':
      return [events, spec(topics.dlq)];
    // detect and dispatch dead-letter too (invalid events and alerts, events the core cannot process).
    case 'detect':
      return [events, alerts, state, spec(topics.dlq)];
    case 'dispatch':
      return [alerts, spec(topics.dlq)];
  }
}

/**
 * Creates (or only checks) the role's topics, and for detect checks that events and state have the same
 * partition count: state for events partition p lives in changelog partition p.
 */
export async function prepareTopics(runtime: KafkaRuntime, config: WorkerConfig, role: Role): Promise<void> {
  const specs = topicSpecs(config, role);
  if (config.topics.create) {
    await runtime.ensureTopics(specs);
  }
  const counts = await runtime.partitionCounts(specs.map((s) => s.topic));
  const missing = specs.filter((s) => !counts.has(s.topic)).map((s) => s.topic);
  if (missing.length > 0) throw new Error(`topics missing (topics.create is false): ${missing.join(', ')}`);
  if (role === 'detect') {
    const events = counts.get(config.topics.events);
    const state = counts.get(config.topics.state);
    if (events !== state) {
      throw new Error(
        `topics.state ${config.topics.state} has ${state} partitions but topics.events ${config.topics.events} has ${events}; they must match`,
      );
    }
  }
  if (role === 'normalize') {
    const sourceTopics = config.sources.map((s) => s.topic);
    if (sourceTopics.length === 0) throw new Error('sources: the normalize role needs at least one source topic');
    const present = await runtime.partitionCounts(sourceTopics);
    const absent = sourceTopics.filter((t) => !present.has(t));
    if (absent.length > 0) throw new Error(`sources: topic ${absent.join(', ')} does not exist`);
  }
}
