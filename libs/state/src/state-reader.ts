import { existsSync, statSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { EcsAlert } from '@keywatch/alerts';
import { decodeProfile, type Profile } from '@keywatch/detect';
import { KeywatchError } from '@keywatch/errors';
import type { DayRow, ValueKind, ValueRow } from './history.ts';
import { ALERTS_BY_KEY } from './journal.ts';

/**
 * A state file that cannot be used: missing, damaged, another schema, or busy (`retriable`: in use by another
 * keywatch run, so the same command works once that run ends).
 */
export class StateFileError extends KeywatchError {
  constructor(message: string, options: { retriable?: boolean } = {}) {
    super(message, { expected: true, retriable: options.retriable ?? false });
  }
}

/** What to do when a state file is damaged: said once, in every such error. */
export const STATE_FILE_ADVICE =
  'restore it from a backup, or move it away and rebuild the baselines with `keywatch replay --learn-only --state <new file>`';

/** An SQLite error on a state file as one clear line: the file, the problem, what to do. Never a silent reset. */
export function stateFileError(path: string, error: unknown): StateFileError {
  if (error instanceof StateFileError) return error;
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return new StateFileError(`state file ${path}: ${message}; ${STATE_FILE_ADVICE}`);
}

function guarded<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw stateFileError(path, error);
  }
}

/** A statement whose SQLite errors name the state file and say what to do. */
interface GuardedStatement {
  get(...params: SQLInputValue[]): unknown;
  all(...params: SQLInputValue[]): unknown[];
}

/** State files written before the journal had its index get it once (a report would scan every alert per key). */
function addAlertsIndex(db: DatabaseSync, path: string): void {
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'alerts_by_key'").get() !== undefined) return;
  const writable = new DatabaseSync(path);
  try {
    writable.exec(ALERTS_BY_KEY);
  } finally {
    writable.close();
  }
}

/**
 * Read-only view of a state file for `keywatch explain` and `keywatch report`: profiles, report history,
 * journalled alerts. Tables a state file does not have (an older run, `--learn-only`) read as empty.
 */
export class StateReader {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #tables: Set<string>;
  readonly #statements = new Map<string, StatementSync>();

  constructor(path: string) {
    if (!existsSync(path))
      throw new StateFileError(`state file ${path} does not exist (write one with keywatch run --state ${path})`);
    if (statSync(path).isDirectory()) throw new StateFileError(`state file ${path} is a directory`);
    this.#path = path;
    this.#db = guarded(path, () => new DatabaseSync(path, { readOnly: true }));
    try {
      this.#tables = new Set(
        (this.#db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
      );
      if (!this.#tables.has('profiles')) throw new StateFileError(`${path} is not a keywatch state file (no profiles table)`);
      if (this.#tables.has('alerts')) addAlertsIndex(this.#db, path);
    } catch (error) {
      this.#db.close();
      throw stateFileError(path, error);
    }
  }

  /** Every key with a profile, sorted. */
  keyIds(): string[] {
    return (this.#q('SELECT credential_id AS id FROM profiles ORDER BY credential_id').all() as { id: string }[]).map(
      (r) => r.id,
    );
  }

  profile(keyId: string): Profile | null {
    const row = this.#q('SELECT profile FROM profiles WHERE credential_id = ?').get(keyId) as { profile: Uint8Array } | undefined;
    if (!row) return null;
    try {
      return decodeProfile(row.profile);
    } catch (err) {
      throw new StateFileError(`state file ${this.#path}: profile of ${keyId}: ${(err as Error).message}`);
    }
  }

  /** The key's declaration (KeyInfo JSON) as the pipeline last saw it, or null. */
  info(keyId: string): unknown {
    if (!this.#tables.has('key_info')) return null;
    const row = this.#q('SELECT info FROM key_info WHERE key_id = ?').get(keyId) as { info: string } | undefined;
    return row ? (JSON.parse(row.info) as unknown) : null;
  }

  /** Daily history, oldest first. */
  days(keyId: string): DayRow[] {
    if (!this.#tables.has('key_days')) return [];
    const rows = this.#q('SELECT day, hours, failures, auth_failures, writes FROM key_days WHERE key_id = ? ORDER BY day').all(
      keyId,
    ) as { day: string; hours: string; failures: number; auth_failures: number; writes: number }[];
    return rows.map((r) => ({
      day: r.day,
      hours: JSON.parse(r.hours) as number[],
      failures: r.failures,
      authFailures: r.auth_failures,
      writes: r.writes,
    }));
  }

  /** Values the key used, most used first. */
  values(keyId: string): ValueRow[] {
    if (!this.#tables.has('key_values')) return [];
    const rows = this.#q(
      'SELECT kind, value, label, first, last, calls, failures FROM key_values WHERE key_id = ? ORDER BY kind, calls DESC, value',
    ).all(keyId) as unknown as (Omit<ValueRow, 'kind'> & { kind: ValueKind })[];
    return rows.map((r) => ({ ...r }));
  }

  /** The key's most recent journalled alerts, newest first. */
  alerts(keyId: string, limit: number): EcsAlert[] {
    if (!this.#tables.has('alerts')) return [];
    const rows = this.#q('SELECT doc FROM alerts WHERE key_id = ? ORDER BY time DESC, id LIMIT ?').all(keyId, limit) as {
      doc: string;
    }[];
    return rows.map((r) => JSON.parse(r.doc) as EcsAlert);
  }

  /** Per key: alert count and highest risk; per UTC day and rule: alert counts. */
  alertSummary(): {
    byKey: Map<string, { alerts: number; maxRisk: number; last: string }>;
    byDayRule: { day: string; rule: string; n: number }[];
  } {
    const byKey = new Map<string, { alerts: number; maxRisk: number; last: string }>();
    if (!this.#tables.has('alerts')) return { byKey, byDayRule: [] };
    const rows = this.#q(
      "SELECT key_id, count(*) AS n, max(CAST(json_extract(doc, '$.event.risk_score') AS INTEGER)) AS risk, max(time) AS last FROM alerts GROUP BY key_id",
    ).all() as { key_id: string; n: number; risk: number | null; last: string }[];
    for (const r of rows) byKey.set(r.key_id, { alerts: r.n, maxRisk: r.risk ?? 0, last: r.last });
    const byDayRule = this.#q(
      'SELECT substr(time, 1, 10) AS day, rule, count(*) AS n FROM alerts GROUP BY day, rule ORDER BY day, rule',
    ).all() as { day: string; rule: string; n: number }[];
    return { byKey, byDayRule };
  }

  /** Feedback verdicts given on the key's alerts. */
  feedback(keyId: string): { alertId: string; verdict: string; at: number; note: string | null }[] {
    if (!this.#tables.has('feedback') || !this.#tables.has('alerts')) return [];
    return this.#q(
      'SELECT f.alert_id AS alertId, f.verdict, f.at, f.note FROM feedback f JOIN alerts a ON a.id = f.alert_id WHERE a.key_id = ? ORDER BY f.at',
    ).all(keyId) as { alertId: string; verdict: string; at: number; note: string | null }[];
  }

  /** Suppression bodies (JSON) from feedback. */
  suppressions(): unknown[] {
    if (!this.#tables.has('suppressions')) return [];
    return (this.#q('SELECT body FROM suppressions').all() as { body: string }[]).map((r) => JSON.parse(r.body) as unknown);
  }

  /** Statements are prepared once: a report asks the same six questions of every key. */
  #q(sql: string): GuardedStatement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = guarded(this.#path, () => this.#db.prepare(sql));
      this.#statements.set(sql, statement);
    }
    const prepared = statement;
    return {
      get: (...params) => guarded(this.#path, () => prepared.get(...params)),
      all: (...params) => guarded(this.#path, () => prepared.all(...params)),
    };
  }

  close(): void {
    this.#db.close();
  }
}
