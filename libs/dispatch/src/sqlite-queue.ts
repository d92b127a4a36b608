import { DatabaseSync } from 'node:sqlite';
import type { EcsAlert } from '@keywatch/alerts';
import type { Backlog, DeliveryQueue, QueuedDelivery } from './types.ts';

export interface SqliteQueueOptions {
  /**
   * How long ids of finished deliveries are remembered, so an alert re-submitted after a crash (re-processed
   * input) is not delivered twice. Default 7 days.
   */
  doneRetentionMs?: number;
  /** Clock for the remembered ids. */
  now?: () => number;
}

interface Row {
  id: string;
  destination: string;
  alert: string;
  attempts: number;
  not_before: number;
  last_error: string | null;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * The embedded-mode delivery queue: one SQLite file (node:sqlite, no native build). Every write is a committed
 * transaction with synchronous=FULL, so a resolved promise means the item survives a crash or power loss.
 * One process per file.
 */
export class SqliteDeliveryQueue implements DeliveryQueue {
  readonly #db: DatabaseSync;
  readonly #retentionMs: number;
  readonly #now: () => number;

  constructor(path: string, options: SqliteQueueOptions = {}) {
    this.#retentionMs = options.doneRetentionMs ?? WEEK_MS;
    this.#now = options.now ?? Date.now;
    this.#db = new DatabaseSync(path);
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = FULL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS deliveries (
        id TEXT PRIMARY KEY,
        destination TEXT NOT NULL,
        alert TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        not_before INTEGER NOT NULL,
        last_error TEXT,
        enqueued_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (destination, not_before);
      CREATE INDEX IF NOT EXISTS deliveries_not_before ON deliveries (not_before);
      CREATE TABLE IF NOT EXISTS done (id TEXT PRIMARY KEY, done_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS done_at ON done (done_at);
    `);
    // Queue files written before the backlog metrics have no enqueue time: their items count from not_before.
    const columns = this.#db.prepare('PRAGMA table_info(deliveries)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'enqueued_at')) this.#db.exec('ALTER TABLE deliveries ADD COLUMN enqueued_at INTEGER');
  }

  async enqueue(items: QueuedDelivery[]): Promise<void> {
    if (items.length === 0) return;
    const insert = this.#db.prepare(
      `INSERT OR IGNORE INTO deliveries (id, destination, alert, attempts, not_before, last_error, enqueued_at)
       SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM done WHERE id = ?)`,
    );
    const at = this.#now();
    this.#transaction(() => {
      this.#db.prepare('DELETE FROM done WHERE done_at < ?').run(at - this.#retentionMs);
      for (const item of items) {
        const { id, destination, attempts, notBefore, lastError } = item;
        insert.run(id, destination, JSON.stringify(item.alert), attempts, notBefore, lastError, at, id);
      }
    });
  }

  async due(now: number, limit: number, destination?: string): Promise<QueuedDelivery[]> {
    const rows = (destination === undefined
      ? this.#db.prepare('SELECT * FROM deliveries WHERE not_before <= ? ORDER BY not_before, rowid LIMIT ?').all(now, limit)
      : this.#db
          .prepare('SELECT * FROM deliveries WHERE destination = ? AND not_before <= ? ORDER BY not_before, rowid LIMIT ?')
          .all(destination, now, limit)) as unknown as Row[];
    return rows.map((row) => ({
      id: row.id,
      destination: row.destination,
      alert: JSON.parse(row.alert) as EcsAlert,
      attempts: row.attempts,
      notBefore: row.not_before,
      lastError: row.last_error,
    }));
  }

  async nextDueAt(destination: string): Promise<number | null> {
    const row = this.#db.prepare('SELECT MIN(not_before) AS at FROM deliveries WHERE destination = ?').get(destination) as {
      at: number | null;
    };
    return row.at;
  }

  async complete(id: string): Promise<void> {
    this.#transaction(() => {
      this.#db.prepare('DELETE FROM deliveries WHERE id = ?').run(id);
      this.#db.prepare('INSERT OR REPLACE INTO done (id, done_at) VALUES (?, ?)').run(id, this.#now());
    });
  }

  async reschedule(item: QueuedDelivery): Promise<void> {
    this.#db
      .prepare('UPDATE deliveries SET attempts = ?, not_before = ?, last_error = ? WHERE id = ?')
      .run(item.attempts, item.notBefore, item.lastError, item.id);
  }

  async size(): Promise<number> {
    const row = this.#db.prepare('SELECT COUNT(*) AS n FROM deliveries').get() as { n: number };
    return row.n;
  }

  async backlog(): Promise<Map<string, Backlog>> {
    const rows = this.#db
      .prepare(
        'SELECT destination, COUNT(*) AS depth, MIN(COALESCE(enqueued_at, not_before)) AS oldest FROM deliveries GROUP BY destination',
      )
      .all() as { destination: string; depth: number; oldest: number }[];
    return new Map(rows.map((r) => [r.destination, { depth: r.depth, oldestEnqueuedAt: r.oldest }]));
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  #transaction(work: () => void): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
  }
}
