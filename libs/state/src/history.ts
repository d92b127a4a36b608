import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { inTransaction } from './transaction.ts';

/**
 * Report-only history of each key, kept next to (never inside) the detection profiles: what `keywatch
 * explain` and `keywatch report` show and the detectors do not need. Bounded per key whatever its traffic:
 *
 * - `key_days`: one row per key and key-local day, the last `HISTORY_LIMITS.days` days of the key: calls
 *   by key-local hour (24 counts), failures, authorization failures, writes. ≤ 35 rows of ~150 B.
 * - `key_values`: the countries, networks (ASN), /24-/48 prefixes, client families and actions the key
 *   used, with first/last use and counts; at most `HISTORY_LIMITS.values` per kind (the least used go).
 * - `key_info`: the key's declaration (registry entry) as last seen, so a report needs no registry.
 *
 * About 10 KB a busy key at most (docs in libs/state/README.md). Updates are buffered in memory and
 * written in one transaction per `flushEvery` events.
 */
export const HISTORY_LIMITS = { days: 35, values: 24, labelChars: 200 } as const;

export const VALUE_KINDS = ['country', 'asn', 'network', 'client', 'action'] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

export interface DayRow {
  /** `YYYY-MM-DD` in the key's timezone. */
  day: string;
  /** Calls by key-local hour 0..23. */
  hours: number[];
  failures: number;
  authFailures: number;
  writes: number;
}

export interface ValueRow {
  kind: ValueKind;
  value: string;
  /** Human label: AS organisation, last full user agent, access class of an action. */
  label: string | null;
  /** Epoch seconds. */
  first: number;
  last: number;
  calls: number;
  failures: number;
}

/** One event as the history needs it (the pipeline fills it from the enriched event). */
export interface HistoryEvent {
  keyId: string;
  /** Epoch seconds. */
  time: number;
  localDate: string;
  localHour: number;
  failure: boolean;
  authFailure: boolean;
  write: boolean;
  values: Array<{ kind: ValueKind; value: string; label: string | null }>;
  /** The key's declaration (KeyInfo), stored as JSON at the next flush. */
  info: unknown;
}

interface PendingKey {
  info: unknown;
  days: Map<string, DayRow>;
  values: Map<string, ValueRow>;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS key_info (key_id TEXT PRIMARY KEY, info TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS key_days (key_id TEXT NOT NULL, day TEXT NOT NULL, hours TEXT NOT NULL, failures INTEGER NOT NULL,
    auth_failures INTEGER NOT NULL, writes INTEGER NOT NULL, PRIMARY KEY (key_id, day)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS key_values (key_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, label TEXT,
    first INTEGER NOT NULL, last INTEGER NOT NULL, calls INTEGER NOT NULL, failures INTEGER NOT NULL,
    PRIMARY KEY (key_id, kind, value)) WITHOUT ROWID;`;

/** Writes the report history (embedded mode: the pipeline's `history` sink). */
export class KeyHistory {
  readonly #db: DatabaseSync;
  readonly #pending = new Map<string, PendingKey>();
  readonly #flushEvery: number;
  #events = 0;
  readonly #sql: Record<'day' | 'putDay' | 'pruneDays' | 'putValue' | 'countValues' | 'pruneValues' | 'putInfo', StatementSync>;

  constructor(path: string, options: { flushEvery?: number } = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    this.#db.exec(SCHEMA);
    this.#flushEvery = options.flushEvery ?? 20_000;
    this.#sql = {
      day: this.#db.prepare('SELECT hours, failures, auth_failures, writes FROM key_days WHERE key_id = ? AND day = ?'),
      putDay: this.#db.prepare(
        'INSERT OR REPLACE INTO key_days (key_id, day, hours, failures, auth_failures, writes) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      pruneDays: this.#db.prepare(
        'DELETE FROM key_days WHERE key_id = ?1 AND day NOT IN (SELECT day FROM key_days WHERE key_id = ?1 ORDER BY day DESC LIMIT ?2)',
      ),
      putValue:
        this.#db.prepare(`INSERT INTO key_values (key_id, kind, value, label, first, last, calls, failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (key_id, kind, value) DO UPDATE SET label = coalesce(excluded.label, label), first = min(first, excluded.first),
        last = max(last, excluded.last), calls = calls + excluded.calls, failures = failures + excluded.failures`),
      countValues: this.#db.prepare('SELECT count(*) AS n FROM key_values WHERE key_id = ? AND kind = ?'),
      pruneValues: this.#db.prepare(`DELETE FROM key_values WHERE key_id = ?1 AND kind = ?2 AND value IN
        (SELECT value FROM key_values WHERE key_id = ?1 AND kind = ?2 ORDER BY calls, last LIMIT ?3)`),
      putInfo: this.#db.prepare(
        'INSERT INTO key_info (key_id, info) VALUES (?, ?) ON CONFLICT (key_id) DO UPDATE SET info = excluded.info',
      ),
    };
  }

  record(e: HistoryEvent): void {
    let key = this.#pending.get(e.keyId);
    if (!key) {
      key = { info: e.info, days: new Map(), values: new Map() };
      this.#pending.set(e.keyId, key);
    }
    key.info = e.info;
    let day = key.days.get(e.localDate);
    if (!day) {
      day = { day: e.localDate, hours: new Array<number>(24).fill(0), failures: 0, authFailures: 0, writes: 0 };
      key.days.set(e.localDate, day);
    }
    day.hours[e.localHour] = (day.hours[e.localHour] ?? 0) + 1;
    if (e.failure) day.failures++;
    if (e.authFailure) day.authFailures++;
    if (e.write) day.writes++;
    for (const v of e.values) {
      const id = `${v.kind}\u0000${v.value}`;
      const row = key.values.get(id);
      if (row) {
        row.calls++;
        if (e.failure) row.failures++;
        row.first = Math.min(row.first, e.time);
        row.last = Math.max(row.last, e.time);
        if (v.label !== null) row.label = v.label;
      } else {
        key.values.set(id, { ...v, first: e.time, last: e.time, calls: 1, failures: e.failure ? 1 : 0 });
      }
    }
    if (++this.#events >= this.#flushEvery) this.flush();
  }

  flush(): void {
    this.#events = 0;
    if (this.#pending.size === 0) return;
    inTransaction(this.#db, () => {
      for (const [keyId, key] of this.#pending) this.#write(keyId, key);
    });
    this.#pending.clear();
  }

  close(): void {
    this.flush();
    this.#db.close();
  }

  #write(keyId: string, key: PendingKey): void {
    this.#sql.putInfo.run(keyId, JSON.stringify(key.info));
    for (const d of key.days.values()) {
      const old = this.#sql.day.get(keyId, d.day) as
        | { hours: string; failures: number; auth_failures: number; writes: number }
        | undefined;
      const hours = old ? (JSON.parse(old.hours) as number[]).map((n, i) => n + (d.hours[i] ?? 0)) : d.hours;
      this.#sql.putDay.run(
        keyId,
        d.day,
        JSON.stringify(hours),
        d.failures + (old?.failures ?? 0),
        d.authFailures + (old?.auth_failures ?? 0),
        d.writes + (old?.writes ?? 0),
      );
    }
    this.#sql.pruneDays.run(keyId, HISTORY_LIMITS.days);
    const kinds = new Set<ValueKind>();
    for (const v of key.values.values()) {
      this.#sql.putValue.run(keyId, v.kind, v.value, v.label, v.first, v.last, v.calls, v.failures);
      kinds.add(v.kind);
    }
    for (const kind of kinds) {
      const { n } = this.#sql.countValues.get(keyId, kind) as { n: number };
      if (n > HISTORY_LIMITS.values) this.#sql.pruneValues.run(keyId, kind, n - HISTORY_LIMITS.values);
    }
  }
}

/** Trims text an attacker may control (user agents) to the stored length. */
export function historyLabel(text: string | null): string | null {
  return text === null ? null : text.slice(0, HISTORY_LIMITS.labelChars);
}
