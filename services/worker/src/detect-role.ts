import { alertRevision, type EcsAlert, isAlertUpdate } from '@keywatch/alerts';
import { type CanonicalEvent, formatFieldErrors, validateCanonicalEvent } from '@keywatch/event';
import type { BatchHandler, InputBatch, InputRecord, OutputRecord } from '@keywatch/kafka';
import { AlertGroups, createDetectStage, type DetectStageDeps } from '@keywatch/pipeline';
import type { WorkerConfig } from './config.ts';
import { deadLetterRecord, firstLine } from './dead-letter.ts';
import type { PartitionStates } from './partition-states.ts';
import { type EventSource, encodeChangelogValue } from './partition-store.ts';

export type DetectDeps = Omit<DetectStageDeps, 'store' | 'learnOnly' | 'groups'>;

/**
 * The events of a batch, in order, each with where it came from; records that hold no valid event become dead
 * letters in `outputs`. detect reads events-topic records (`packedEvents`), normalize-detect raw records.
 */
export type EventReader = (
  batch: InputBatch,
  outputs: OutputRecord[],
) => Iterable<{ event: CanonicalEvent; source: EventSource }>;

/**
 * detect: per batch (one events partition, in offset order) put the events through the partition's reorder
 * buffer and run the detect stage on those it releases, in event-time order; then produce the alerts, the final
 * versions of grouped alerts, one changelog record per key the batch touched and the buffer's changes (events
 * now held, events now detected). The loop puts those and the batch's offsets in one transaction; the state
 * changes become final only when it commits, so a held event is in the changelog before its offset is committed.
 * `onCommitted` gets the times of the events detected in the batch then (freshness metric: held time included).
 */
export function createDetectHandler(
  config: WorkerConfig,
  states: PartitionStates,
  deps: DetectDeps,
  onCommitted: (eventTimesMs: number[]) => void = () => {},
  read: EventReader = packedEvents(config.topics.dlq),
): BatchHandler {
  const { alerts: alertsTopic, state: stateTopic, dlq: dlqTopic } = config.topics;
  // Open alerts live with the partition's state object: a state restored anew (new assignment, aborted batch)
  // starts with no open alerts, so no update is built from alerts another worker may have moved on from.
  const groupsOf = new WeakMap<object, AlertGroups>();
  // Batches (partition and first offset) whose profiles could not all be encoded: re-run with an encode on every
  // put, so the event behind it becomes a dead letter instead of failing the batch again.
  const strictBatches = new Set<string>();
  return async (batch, context) => {
    const store = await states.storeFor(batch.partition, context);
    const batchId = `${batch.partition}:${batch.records[0]?.offset}`;
    store.strict = strictBatches.has(batchId);
    let groups = groupsOf.get(store);
    if (!groups) {
      groups = new AlertGroups(deps.options);
      groupsOf.set(store, groups);
    }
    const stage = createDetectStage({ ...deps, store, groups });
    const outputs: OutputRecord[] = [];
    const times: number[] = [];
    const detectOne = (event: CanonicalEvent, source: EventSource) => {
      let out: ReturnType<typeof stage>;
      try {
        out = stage(event);
      } catch (error) {
        // One event the core cannot handle must not block its partition for ever (issue 10): it goes to
        // the DLQ and the batch commits. The stage stored nothing for it.
        outputs.push(
          deadLetterRecord(dlqTopic, source, 'processing_error', `${source.which ?? ''}detect failed: ${firstLine(error)}`),
        );
        return;
      }
      times.push(Date.parse(event.time));
      for (const alert of [...out.updates, ...out.alerts]) outputs.push(alertRecord(alertsTopic, alert));
    };
    try {
      for (const { event, source } of read(batch, outputs)) {
        // null: a copy of an event still held (a re-delivery).
        for (const held of store.reorder.push(event, source) ?? []) detectOne(held.event, held.tag);
      }
      let changed: [string, Uint8Array][];
      try {
        changed = store.pending();
      } catch (error) {
        strictBatches.add(batchId);
        // The re-run starts from the changelog, with no open alerts this pass may have changed.
        states.drop(batch.partition);
        throw error;
      }
      for (const [credentialId, profile] of changed) {
        // Explicit partition: the state of events partition p lives in changelog partition p.
        outputs.push({ topic: stateTopic, key: credentialId, value: encodeChangelogValue(profile), partition: batch.partition });
      }
      for (const [key, value] of store.reorderChanges())
        outputs.push({ topic: stateTopic, key, value, partition: batch.partition });
    } catch (error) {
      // The reorder buffer has moved on: the partition's state is restored anew from the changelog.
      store.discard();
      states.drop(batch.partition);
      throw error;
    }
    return {
      outputs,
      afterCommit: () => {
        store.commit();
        strictBatches.delete(batchId);
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

/** Events-topic records: one event JSON each, or several of one key a line each (normalize's EventPacks). */
export function packedEvents(dlqTopic: string): EventReader {
  return function* (batch, outputs) {
    for (const { record, line, of } of eventLines(batch.records)) {
      const event = parseEvent(line);
      if (typeof event === 'string') {
        outputs.push(deadLetterRecord(dlqTopic, record, 'invalid_event', whichEvent(line, of) + event));
        continue;
      }
      // Which event of a packed record, for its dead letter once it is detected.
      yield {
        event,
        source: { topic: record.topic, partition: record.partition, offset: record.offset, which: whichEvent(line, of) },
      };
    }
  };
}

/**
 * The event lines of the batch's records, in order: a record holds one event JSON or several of one key
 * separated by newlines (normalize's EventPacks).
 */
function* eventLines(records: readonly InputRecord[]): Generator<{ record: InputRecord; line: EventLine; of: number }> {
  for (const record of records) {
    const texts = record.value === null ? [''] : record.value.toString('utf8').split('\n');
    for (let index = 0; index < texts.length; index++) yield { record, line: { text: texts[index]!, index }, of: texts.length };
  }
}

/** Which event of a packed record a dead letter is about (the DLQ names the record's position only). */
function whichEvent(line: EventLine, of: number): string {
  return of > 1 ? `event ${line.index + 1} of ${of} in the record: ` : '';
}

interface EventLine {
  text: string;
  index: number;
}

/** The event, or why it is not one (the events topic should only hold normalize's output). */
function parseEvent(line: EventLine): CanonicalEvent | string {
  if (line.text === '') return 'empty record';
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.text);
  } catch (error) {
    return `invalid JSON: ${(error as Error).message}`;
  }
  const checked = validateCanonicalEvent(parsed);
  return checked.ok ? checked.event : `not a canonical event: ${formatFieldErrors(checked.errors)}`;
}
