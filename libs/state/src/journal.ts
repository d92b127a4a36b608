import { DatabaseSync } from 'node:sqlite';
import type { EcsAlert } from '@keywatch/alerts';
import type { Suppression } from '@keywatch/detect';

/** A key's alerts, newest first (keywatch explain, report): without it every key page scans every alert. */
export const ALERTS_BY_KEY = 'CREATE INDEX IF NOT EXISTS alerts_by_key ON alerts (key_id, time)';

export type Verdict = 'benign' | 'malicious';

export interface FeedbackRecord {
  alertId: string;
  verdict: Verdict;
  /** Epoch seconds. */
  at: number;
  ttlSeconds: number | null;
  note: string | null;
}

/**
 * What happened to alerts in embedded mode, kept next to the profiles in the state file: the alerts
 * raised (so `keywatch feedback <alert-id>` can find what made them), the verdicts given, and the
 * suppressions feedback created.
 */
export class AlertJournal {
  readonly #db: DatabaseSync;

  constructor(path: string) {
    this.#db = new DatabaseSync(path);
    this.#db.exec(`PRAGMA journal_mode = WAL;
      CREATE TABLE IF NOT EXISTS alerts (id TEXT PRIMARY KEY, key_id TEXT NOT NULL, rule TEXT NOT NULL, time TEXT NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID;
      ${ALERTS_BY_KEY};
      CREATE TABLE IF NOT EXISTS feedback (alert_id TEXT NOT NULL, verdict TEXT NOT NULL, at INTEGER NOT NULL, ttl_seconds INTEGER, note TEXT);
      CREATE TABLE IF NOT EXISTS suppressions (id TEXT PRIMARY KEY, expires INTEGER, body TEXT NOT NULL) WITHOUT ROWID;`);
  }

  record(alert: EcsAlert): void {
    this.#db
      .prepare('INSERT OR IGNORE INTO alerts (id, key_id, rule, time, doc) VALUES (?, ?, ?, ?, ?)')
      .run(alert.event.id, alert.keywatch.key.id, alert.rule.id, alert['@timestamp'], JSON.stringify(alert));
  }

  /** Replaces an alert with its later version (more findings joined it). */
  update(alert: EcsAlert): void {
    this.#db
      .prepare('INSERT OR REPLACE INTO alerts (id, key_id, rule, time, doc) VALUES (?, ?, ?, ?, ?)')
      .run(alert.event.id, alert.keywatch.key.id, alert.rule.id, alert['@timestamp'], JSON.stringify(alert));
  }

  get(alertId: string): EcsAlert | null {
    const row = this.#db.prepare('SELECT doc FROM alerts WHERE id = ?').get(alertId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as EcsAlert) : null;
  }

  /** Alert ids that start with `prefix` (users type the first characters, as with git hashes). */
  findIds(prefix: string, limit = 5): string[] {
    const rows = this.#db
      .prepare('SELECT id FROM alerts WHERE id >= ? AND id < ? ORDER BY id LIMIT ?')
      .all(prefix, `${prefix}\uffff`, limit) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }

  addFeedback(f: FeedbackRecord): void {
    this.#db
      .prepare('INSERT INTO feedback (alert_id, verdict, at, ttl_seconds, note) VALUES (?, ?, ?, ?, ?)')
      .run(f.alertId, f.verdict, f.at, f.ttlSeconds, f.note);
  }

  feedbackFor(alertId: string): FeedbackRecord[] {
    const rows = this.#db.prepare('SELECT * FROM feedback WHERE alert_id = ? ORDER BY at').all(alertId) as {
      alert_id: string;
      verdict: Verdict;
      at: number;
      ttl_seconds: number | null;
      note: string | null;
    }[];
    return rows.map((r) => ({ alertId: r.alert_id, verdict: r.verdict, at: r.at, ttlSeconds: r.ttl_seconds, note: r.note }));
  }

  addSuppression(s: Suppression): void {
    this.#db
      .prepare(
        'INSERT INTO suppressions (id, expires, body) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET expires = excluded.expires, body = excluded.body',
      )
      .run(s.id, s.expires, JSON.stringify(s));
  }

  /** Every suppression feedback created; expired ones are kept (history) and ignored by the detectors. */
  suppressions(): Suppression[] {
    return (this.#db.prepare('SELECT body FROM suppressions').all() as { body: string }[]).map(
      (r) => JSON.parse(r.body) as Suppression,
    );
  }

  close(): void {
    this.#db.close();
  }
}
