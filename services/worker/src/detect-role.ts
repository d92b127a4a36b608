import { alertRevision, type EcsAlert, isAlertUpdate } from '@keywatch/alerts';
import { type CanonicalEvent, formatFieldErrors, validateCanonicalEvent } from '@keywatch/event';
import type { BatchHandler, OutputRecord } from '@keywatch/kafka';
import { AlertGroups, createDetectStage, type DetectStageDeps } from '@keywatch/pipeline';
import type { WorkerConfig } from './config.ts';
import { deadLetterRecord, firstLine } from './dead-letter.ts';
import type { PartitionStates } from './partition-states.ts';
import { encodeChangelogValue } from './partition-store.ts';

export type DetectDeps = Omit<DetectStageDeps, 'store' | 'learnOnly' | 'groups'>;

/**
 * detect: per batch (one events partition, in offset order) run the detect stage on the partition's
 * state, then produce the alerts, the final versions of grouped alerts, and one changelog record per key the
 * batch touched. The loop puts those and the batch's offsets in one transaction; the state changes become
 * final only when it commits. `onCommitted` gets the times of the batch's events then (freshness metric).
 */
export function createDetectHandler(
  config: WorkerConfig,
  states: PartitionStates,
  deps: DetectDeps,
  onCommitted: (eventTimesMs: number[]) => void = () => {},
): BatchHandler {
  const { alerts: alertsTopic, state: stateTopic, dlq: dlqTopic } = config.topics;
  // Open alerts live with the partition's state object: a state restored anew (new assignment, aborted batch)
  // starts with no open alerts, so no update is built from alerts another worker may have moved on from.
  const groupsOf = new WeakMap<object, AlertGroups>();
  return async (batch, context) => {
    const store = await states.storeFor(batch.partition, context);
    let groups = groupsOf.get(store);
    if (!groups) {
      groups = new AlertGroups(deps.options);
      groupsOf.set(store, groups);
    }
    const stage = createDetectStage({ ...deps, store, groups });
    const outputs: OutputRecord[] = [];
    const times: number[] = [];
    try {
      for (const record of batch.records) {
        const event = parseEvent(record.value);
        if (typeof event === 'string') {
          outputs.push(deadLetterRecord(dlqTopic, record, 'invalid_event', event));
          continue;
        }
        times.push(Date.parse(event.time));
        let out: ReturnType<typeof stage>;
        try {
          out = stage(event);
        } catch (error) {
          // One event the core cannot handle must not block its partition for ever (issue 10): it goes to
          // the DLQ and the batch commits. The stage stored nothing for it.
          outputs.push(deadLetterRecord(dlqTopic, record, 'processing_error', `detect failed: ${firstLine(error)}`));
          continue;
        }
        for (const alert of [...out.updates, ...out.alerts]) outputs.push(alertRecord(alertsTopic, alert));
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
      afterCommit: () => {
        store.commit();
        onCommitted(times);
      },
      afterAbort: () => states.drop(batch.partition),
    };
  };
}

/** Alerts and their later versions share the topic (keyed by key id, so a key's versions stay in order). */
function alertRecord(topic: string, alert: EcsAlert): OutputRecord {
  // Only a first version carries rule.id: the alerts metric counts alerts raised, not versions.
  const headers: Record<string, string> = isAlertUpdate(alert)
    ? { 'alert.id': alert.keywatch.alert.id, 'alert.revision': String(alertRevision(alert)) }
    : { 'rule.id': alert.rule.id };
  return { topic, key: alert.keywatch.key.id, value: JSON.stringify(alert), headers };
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
