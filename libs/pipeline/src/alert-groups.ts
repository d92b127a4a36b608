import type { EcsAlert } from '@keywatch/alerts';
import type { DetectOptions, GroupedFinding } from '@keywatch/detect';

/** An alert lists at most this many evidence event ids; the count keeps counting. */
export const MAX_EVIDENCE_IDS = 20;
/** Open groups kept in memory; the oldest is closed early beyond this. */
const MAX_OPEN_GROUPS = 100_000;

interface OpenAlert {
  alert: EcsAlert;
  /** Epoch seconds after which no finding can join any more. */
  until: number;
  changed: boolean;
}

/**
 * Follows alerts while their group is open: findings that join an alert add to its count and (bounded)
 * evidence, and when the group's window has passed the final version of the alert — same id — is
 * handed out once, if anything joined. The detection core decides what joins; this only keeps the record.
 */
export class AlertGroups {
  readonly #open = new Map<string, OpenAlert>();
  readonly #options: DetectOptions;

  constructor(options: DetectOptions) {
    this.#options = options;
  }

  opened(alert: EcsAlert): void {
    const start = Date.parse(alert['@timestamp']) / 1000;
    const window =
      this.#options.groupWindowOverrides[alert.rule.id as GroupedFinding['detector']] ?? this.#options.groupWindowSeconds;
    this.#open.set(alert.event.id, { alert, until: start + window, changed: false });
  }

  /** Returns the alerts closed early to stay within the memory bound. */
  joined(finding: GroupedFinding, eventId: string): EcsAlert[] {
    const open = this.#open.get(finding.alertId);
    if (open === undefined) return []; // opened before this process started (state from an earlier run)
    const { keywatch } = open.alert;
    const ids =
      keywatch.evidence.event_ids.includes(eventId) || keywatch.evidence.event_ids.length >= MAX_EVIDENCE_IDS
        ? keywatch.evidence.event_ids
        : [...keywatch.evidence.event_ids, eventId];
    open.alert = {
      ...open.alert,
      keywatch: {
        ...keywatch,
        alert: { ...keywatch.alert, count: finding.count },
        evidence: { ...keywatch.evidence, event_ids: ids },
      },
    };
    open.changed = true;
    return this.#open.size > MAX_OPEN_GROUPS ? this.#closeOldest() : [];
  }

  /** Final versions of the alerts whose window ended before `now` (epoch seconds). */
  closeDue(now: number): EcsAlert[] {
    const out: EcsAlert[] = [];
    for (const [id, open] of this.#open) {
      if (open.until > now) continue;
      this.#open.delete(id);
      if (open.changed) out.push(open.alert);
    }
    return out;
  }

  /** Final versions of every alert still open (end of input). */
  closeAll(): EcsAlert[] {
    return this.closeDue(Number.POSITIVE_INFINITY);
  }

  #closeOldest(): EcsAlert[] {
    const [id, open] = this.#open.entries().next().value!;
    this.#open.delete(id);
    return open.changed ? [open.alert] : [];
  }
}
