import type { KafkaRuntime, TopicSpec } from '@keywatch/kafka';
import type { WorkerConfig } from './config.ts';

export type Role = 'normalize' | 'detect' | 'dispatch' | 'normalize-detect';
/** The roles of the two-hop topology (the deploy manifests run one deployment each). */
export const ROLES: readonly Role[] = ['normalize', 'detect', 'dispatch'];
/** Every role the worker runs: the topology's, and normalize and detect fused in one process (FUSED_REQUIREMENT). */
export const WORKER_ROLES: readonly Role[] = [...ROLES, 'normalize-detect'];

/** What the fused role needs of the raw topic; said in --help, at start and in docs/kafka.md. */
export const FUSED_REQUIREMENT =
  "normalize-detect keeps each raw partition's detection state: all records of one key (for AWS role sessions, of " +
  'the role) must land in one raw partition, so the raw topic must be keyed by credential, or have one partition. ' +
  'It reads exactly one raw topic and writes no events topic.';

/** The consumer group of a role (the transactional ids derive from it). */
export function groupOf(config: WorkerConfig, role: Role): string {
  return role === 'normalize-detect' ? config.groups.normalizeDetect : config.groups[role];
}

/**
 * The topics a role writes (normalize-detect's state: `rawPartitions`, the raw topic's count), with the partition
 * counts and configs keywatch wants.
 */
export function topicSpecs(config: WorkerConfig, role: Role, rawPartitions?: number): TopicSpec[] {
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
    // State partition p belongs to raw partition p.
    case 'normalize-detect':
      return [alerts, { ...state, partitions: rawPartitions ?? topics.partitions }, spec(topics.dlq)];
  }
}

/**
 * Creates (or only checks) the role's topics, and for detect checks that events and state have the same
 * partition count: state for events partition p lives in changelog partition p.
 */
export async function prepareTopics(runtime: KafkaRuntime, config: WorkerConfig, role: Role): Promise<void> {
  const rawPartitions = role === 'normalize-detect' ? await fusedRawPartitions(runtime, config) : undefined;
  const specs = topicSpecs(config, role, rawPartitions);
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
  if (role === 'normalize-detect') {
    const state = counts.get(config.topics.state);
    if (state !== rawPartitions) {
      throw new Error(
        `topics.state ${config.topics.state} has ${state} partitions but the raw topic ${config.sources[0]!.topic} has ${rawPartitions}; they must match (give normalize-detect its own state topic)`,
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

/** normalize-detect reads exactly one raw topic (its partition p's state is changelog partition p): its partition count. */
async function fusedRawPartitions(runtime: KafkaRuntime, config: WorkerConfig): Promise<number> {
  if (config.sources.length !== 1) {
    throw new Error(
      `sources: the normalize-detect role reads exactly one raw topic, ${config.sources.length} are configured (run one deployment per raw topic, or the normalize and detect roles)`,
    );
  }
  const topic = config.sources[0]!.topic;
  const count = (await runtime.partitionCounts([topic])).get(topic);
  if (count === undefined) throw new Error(`sources: topic ${topic} does not exist`);
  return count;
}
