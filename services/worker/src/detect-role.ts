import type { EcsAlert } from '@keywatch/alerts';
import { type CanonicalEvent, formatFieldErrors, validateCanonicalEvent } from '@keywatch/event';
import type { BatchHandler, OutputRecord } from '@keywatch/kafka';
import { createDetectStage, type DetectStageDeps } from '@keywatch/pipeline';
import type { WorkerConfig } from './config.ts';
import type { PartitionStates } from './partition-states.ts';
import { encodeChangelogValue } from './partition-store.ts';

export type DetectDeps = Omit<DetectStageDeps, 'store' | 'learnOnly'>;

/**
 * detect: per batch (one events partition, in offset order) run the detect stage on the partition's
 * state, then produce the alerts and one changelog record per key the batch touched. The loop puts those
 * and the batch's offsets in one transaction; the state changes become final only when it commits.
 */
export function createDetectHandler(config: WorkerConfig, states: PartitionStates, deps: DetectDeps): BatchHandler {
  const { alerts: alertsTopic, state: stateTopic, dlq: dlqTopic } = config.topics;
  return async (batch, context) => {
    const store = await states.storeFor(batch.partition, context);
    const stage = createDetectStage({ ...deps, store });
    const outputs: OutputRecord[] = [];
    try {
      for (const record of batch.records) {
        const event = parseEvent(record.value);
        if (typeof event === 'string') {
          outputs.push(invalidEvent(dlqTopic, record, event));
          continue;
        }
        for (const alert of stage(event).alerts) outputs.push(alertRecord(alertsTopic, alert));
      }
      for (const [credentialId, profile] of store.pending()) {
        // Explicit partition: the state of events partition p lives in changelog partition p.
        outputs.push({ topic: stateTopic, key: credentialId, value: encodeChangelogValue(profile), partition: batch.partition });
      }
    } catch (error) {
      store.discard();
      throw error;
    }
    return {
      outputs,
      afterCommit: () => store.commit(),
      afterAbort: () => states.drop(batch.partition),
    };
  };
}

function alertRecord(topic: string, alert: EcsAlert): OutputRecord {
  return { topic, key: alert.keywatch.key.id, value: JSON.stringify(alert), headers: { 'rule.id': alert.rule.id } };
}

/** The event, or why it is not one (the events topic should only hold normalize's output). */
function parseEvent(value: Buffer | null): CanonicalEvent | string {
  if (value === null) return 'empty record';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return `invalid JSON: ${(error as Error).message}`;
  }
  const checked = validateCanonicalEvent(parsed);
  return checked.ok ? checked.event : `not a canonical event: ${formatFieldErrors(checked.errors)}`;
}

function invalidEvent(
  topic: string,
  record: { topic: string; partition: number; offset: string },
  message: string,
): OutputRecord {
  const source = { topic: record.topic, partition: String(record.partition), offset: record.offset };
  return {
    topic,
    key: null,
    // The record itself is not copied: it did not come through normalize's redaction.
    value: JSON.stringify({ reason: 'invalid_event', message, source }),
    headers: {
      reason: 'invalid_event',
      message,
      'source.topic': source.topic,
      'source.partition': source.partition,
      'source.offset': source.offset,
    },
  };
}
