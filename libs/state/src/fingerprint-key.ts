import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';

/** Bytes of a new key: the SHA-256 block size makes any more pointless, 32 is full strength. */
const KEY_BYTES = 32;

/**
 * The installation's secret-fingerprint key, kept in the state file: created at random on first use,
 * the same on every later run, so fingerprints of the same secret match across runs (docs/secrets.md).
 * Whoever can read the state file can test guesses against fingerprints; nobody else can.
 */
export function loadFingerprintKey(statePath: string): Uint8Array {
  const db = new DatabaseSync(statePath);
  try {
    db.exec('CREATE TABLE IF NOT EXISTS installation (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID');
    // INSERT OR IGNORE then SELECT: two runs starting at once agree on the first key written.
    db.prepare("INSERT OR IGNORE INTO installation (name, value) VALUES ('fingerprint_key', ?)").run(randomBytes(KEY_BYTES));
    const row = db.prepare("SELECT value FROM installation WHERE name = 'fingerprint_key'").get() as { value: Uint8Array };
    return new Uint8Array(row.value);
  } finally {
    db.close();
  }
}
