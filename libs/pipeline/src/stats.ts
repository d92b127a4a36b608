/** Counts of one run, as printed at the end and written by `--stats-json`. */
export interface RunStats {
  /** Provider records, whatever the container (a `{"Records":[…]}` file counts its records). */
  recordsRead: number;
  eventsNormalized: number;
  /** Events their key's profile had applied already (re-deliveries, recognised by event id): skipped. */
  duplicateEvents: number;
  /**
   * Events older than their key's latest applied call when detected (later than the lateness bound could put
   * back in order): learned, not judged.
   */
  lateEvents: number;
  deadLettered: { total: number; byReason: Record<string, number> };
  /** Records that are not calls made with a credential (AWS service records): not errors, no event. */
  skipped: { total: number; byReason: Record<string, number> };
  /** Events whose record lacked a field its source always logs, by field (`sourceIp`, `userAgent`). */
  missingFields: Record<string, number>;
  alerts: { total: number; byRule: Record<string, number> };
  /** Findings that joined an alert already raised instead of raising another. */
  groupedFindings: number;
  /** Findings dropped by suppressions (allowlists, feedback). */
  suppressedFindings: number;
  keys: number;
  seconds: number;
}

export function emptyStats(): RunStats {
  return {
    recordsRead: 0,
    eventsNormalized: 0,
    duplicateEvents: 0,
    lateEvents: 0,
    deadLettered: { total: 0, byReason: {} },
    skipped: { total: 0, byReason: {} },
    missingFields: {},
    alerts: { total: 0, byRule: {} },
    groupedFindings: 0,
    suppressedFindings: 0,
    keys: 0,
    seconds: 0,
  };
}

export function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
