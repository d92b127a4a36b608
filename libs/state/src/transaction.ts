import type { DatabaseSync } from 'node:sqlite';

/** Runs `work` in one SQLite transaction: all of it is written, or (on a throw) none of it. */
export function inTransaction(db: DatabaseSync, work: () => void): void {
  db.exec('BEGIN');
  try {
    work();
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
