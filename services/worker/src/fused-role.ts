import type { BatchHandler } from '@keywatch/kafka';
import type { Logger } from '@keywatch/ops';
import { baselineSubject } from '@keywatch/pipeline';
import type { WorkerConfig } from './config.ts';
import { createDetectHandler, type DetectDeps, type EventReader } from './detect-role.ts';
import { normalizeInput, sourceOptions } from './normalize-role.ts';
import type { PartitionStates } from './partition-states.ts';
import { FUSED_REQUIREMENT } from './topology.ts';

/** A sign that the raw topic breaks FUSED_REQUIREMENT: alerts would then depend on which partition a record took. */
export type Violation =
  | { kind: 'unkeyed'; topic: string; partition: number; offset: string }
  | { kind: 'split-key'; subject: string; partitions: number[] };

export interface FusedOptions {
  env?: NodeJS.ProcessEnv;
  /** Partitions of the raw topic: an unkeyed record only breaks the requirement when there are several. */
  rawPartitions: number;
  onViolation: (violation: Violation) => void;
}

/**
 * normalize-detect: the detect handler fed straight from the raw topic. Per batch (one raw partition) each record
 * is normalized as the normalize role does, its events go through raw partition p's reorder buffer and detection,
 * and the alerts, dead letters and changelog records (changelog partition p) commit with the batch's offsets in
 * one transaction. No events topic: no JSON round trip and no second hop. Correct only under FUSED_REQUIREMENT.
 */
export function createFusedHandler(
  config: WorkerConfig,
  states: PartitionStates,
  deps: DetectDeps,
  onCommitted: (eventTimesMs: number[]) => void,
  opts: FusedOptions,
): BatchHandler {
  return createDetectHandler(config, states, deps, onCommitted, rawEvents(config, states, opts));
}

/**
 * The canonical events of raw records, checking what can be checked of FUSED_REQUIREMENT: a record without a key
 * on a topic of several partitions, and a key (baseline subject) whose profile another raw partition held by this
 * worker already has.
 */
export function rawEvents(config: WorkerConfig, states: PartitionStates, opts: FusedOptions): EventReader {
  const sources = sourceOptions(config, opts.env);
  const dlqTopic = config.topics.dlq;
  return function* (batch, outputs) {
    const options = sources.get(batch.topic);
    if (!options) throw new Error(`normalize-detect: no source configured for topic ${batch.topic}`);
    const checked = new Set<string>();
    for (const record of batch.records) {
      if (record.key === null && opts.rawPartitions > 1) {
        opts.onViolation({ kind: 'unkeyed', topic: record.topic, partition: record.partition, offset: record.offset });
      }
      for (const event of normalizeInput(record, options, dlqTopic, outputs)) {
        const subject = baselineSubject(event);
        if (!checked.has(subject)) {
          checked.add(subject);
          const elsewhere = states.holding(subject).filter((p) => p !== batch.partition);
          if (elsewhere.length > 0) opts.onViolation({ kind: 'split-key', subject, partitions: [batch.partition, ...elsewhere] });
        }
        yield { event, source: { topic: record.topic, partition: record.partition, offset: record.offset } };
      }
    }
  };
}

/**
 * Logs violations at error level: the first of each kind at once, then at most one line a minute per kind with how
 * many were seen since, so a fully unkeyed topic is loud without a log line per record.
 */
export function violationLog(logger: Logger, everyMs = 60_000): (violation: Violation) => void {
  const last = new Map<Violation['kind'], { at: number; since: number }>();
  return (violation) => {
    const now = Date.now();
    const seen = last.get(violation.kind);
    if (seen && now - seen.at < everyMs) {
      seen.since++;
      return;
    }
    last.set(violation.kind, { at: now, since: 0 });
    const what =
      violation.kind === 'unkeyed'
        ? `a record without a key on raw topic ${violation.topic} (partition ${violation.partition}, offset ${violation.offset}), which has several partitions`
        : `key ${violation.subject} is in raw partitions ${violation.partitions.join(' and ')}`;
    logger.error(
      { violation, similarSinceLastLine: seen?.since ?? 0 },
      `normalize-detect: ${what}; alerts will differ from the two-role topology's. ${FUSED_REQUIREMENT}`,
    );
  };
}
