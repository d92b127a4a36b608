import type { EcsAlert } from '@keywatch/alerts';
import type { CanonicalEvent } from '@keywatch/event';
import { type DeadLetter, type NormalizeOptions, normalizeRecord } from '@keywatch/sources';
import { StateFileError } from '@keywatch/state';
import { AlertGroups } from './alert-groups.ts';
import { createDetectStage, type DetectStageDeps } from './detect-stage.ts';
import { DEFAULT_LATENESS_SECONDS, type Held, ReorderBuffer } from './reorder.ts';
import { bump, emptyStats, type RunStats } from './stats.ts';

/** Where a record came from, so a dead letter can name it. */
export interface RecordOrigin {
  file: string;
  line: number;
}

/** A dead letter as written out: the reason, where the record was, and the record (already redacted). */
export interface DeadLetterRecord extends DeadLetter {
  file: string;
  line: number;
}

export interface EmbeddedSinks {
  alert(alert: EcsAlert): void;
  /**
   * The final version of an alert that repeated findings joined (same id, higher
   * `keywatch.alert.count`, more evidence ids), once its group window has passed or the input ended.
   */
  alertUpdate?(alert: EcsAlert): void;
  deadLetter(record: DeadLetterRecord): void;
}

/**
 * A record as read from input: parsed (with the text it was parsed from, when the reader has it: a line the
 * secret pre-scan clears skips the secret walk), or why it could not be read with the (redacted) raw text.
 * `reason` defaults to `invalid_json`; input readers use `unreadable_input` for corrupt files and over-long records.
 */
export type InputRecord =
  | { value: unknown; text?: string; error?: undefined }
  | { error: string; raw: string; reason?: 'invalid_json' | 'unreadable_input' };

export interface EmbeddedOptions {
  /**
   * Events are put back in event-time order within this many seconds before detection (`ReorderBuffer`);
   * default `DEFAULT_LATENESS_SECONDS`. 0 detects in arrival order.
   */
  latenessSeconds?: number;
}

/** An event waiting in the reorder buffer, with where its record was. */
export type HeldEvent = Held<RecordOrigin>;

/**
 * Embedded mode: normalize → reorder → detect → alert in one process. The Kafka workers run the same
 * normalize and detect stages with topics in between.
 */
export function createEmbeddedPipeline(
  normalize: NormalizeOptions,
  detectDeps: DetectStageDeps,
  sinks: EmbeddedSinks,
  options: EmbeddedOptions = {},
) {
  const stats = emptyStats();
  const reorder = new ReorderBuffer<RecordOrigin>(options.latenessSeconds ?? DEFAULT_LATENESS_SECONDS);
  const groups = new AlertGroups(detectDeps.options);
  const detectStage = createDetectStage({ ...detectDeps, groups });
  const updated = (alerts: EcsAlert[]) => {
    for (const a of alerts) sinks.alertUpdate?.(a);
  };
  const started = performance.now();

  const deadLetter = (d: DeadLetter, origin: RecordOrigin) => {
    stats.deadLettered.total++;
    bump(stats.deadLettered.byReason, d.reason);
    sinks.deadLetter({ ...d, file: origin.file, line: origin.line });
  };

  const processEvent = (event: CanonicalEvent, origin: RecordOrigin = { file: 'event', line: 0 }) => {
    stats.eventsNormalized++;
    const due = reorder.push(event, origin);
    if (due === null) {
      stats.duplicateEvents++; // a copy of an event still held
      return;
    }
    for (const held of due) detectEvent(held.event, held.tag);
  };

  const detectEvent = (event: CanonicalEvent, origin: RecordOrigin) => {
    let out: ReturnType<typeof detectStage>;
    try {
      out = detectStage(event);
    } catch (error) {
      // A broken state file is not this event's fault: stop the run (the store's error names the file).
      if (error instanceof StateFileError) throw error;
      // A bug or a value the core cannot represent must cost this one event, not the run (issue 10).
      // The stage stores nothing when it throws, so the key's profile (and its open alerts) are as before.
      stats.eventsNormalized--;
      deadLetter({ reason: 'processing_error', message: processingError(error), record: event }, origin);
      return;
    }
    if (out.duplicate) stats.duplicateEvents++;
    if (out.late) stats.lateEvents++;
    updated(out.updates);
    stats.groupedFindings += out.joined.length;
    stats.suppressedFindings += out.suppressed;
    for (const alert of out.alerts) {
      stats.alerts.total++;
      bump(stats.alerts.byRule, alert.rule.id);
      sinks.alert(alert);
    }
  };

  return {
    push(record: InputRecord, origin: RecordOrigin): void {
      if (record.error !== undefined) {
        stats.recordsRead++;
        deadLetter({ reason: record.reason ?? 'invalid_json', message: record.error, record: record.raw }, origin);
        return;
      }
      const result = normalizeRecord(record.value, normalize, record.text);
      stats.recordsRead += result.records;
      for (const d of result.deadLetters) deadLetter(d, origin);
      for (const s of result.skipped) {
        stats.skipped.total++;
        bump(stats.skipped.byReason, s.reason);
      }
      for (const i of result.incomplete) for (const field of i.missing) bump(stats.missingFields, field);
      for (const event of result.events) processEvent(event, origin);
    },
    processEvent,
    /** Counters so far, cheap to read (for progress output). */
    live: stats as Readonly<RunStats>,
    /** Ends the input: detects the events still held, then hands out the final version of every alert that findings joined. */
    finish(): void {
      for (const held of reorder.flush()) detectEvent(held.event, held.tag);
      updated(groups.closeAll());
    },
    /** The events held for reordering and the latest event time seen: saved with a checkpoint. */
    held(): { events: readonly HeldEvent[]; maxTimeMs: number } {
      return { events: reorder.held(), maxTimeMs: reorder.maxTimeMs };
    },
    /** Puts back what a checkpoint saved (before the first record). */
    restoreHeld(events: readonly { event: CanonicalEvent; tag: RecordOrigin }[], maxTimeMs: number): void {
      reorder.restore(events, maxTimeMs);
    },
    /** Final counts, including the number of keys in the store. */
    stats(): RunStats {
      return { ...stats, keys: detectDeps.store.size(), seconds: Number(((performance.now() - started) / 1000).toFixed(3)) };
    },
  };
}

/** The error's message, one line; never the event (it is in the dead letter, redacted). */
function processingError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `detect failed: ${message.split('\n')[0]!.slice(0, 300)}`;
}
