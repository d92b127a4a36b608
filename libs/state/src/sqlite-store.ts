import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { decodeProfile, encodeProfile, type Profile } from '@keywatch/detect';
import { inTransaction } from './transaction.ts';

/** Where the detect stage keeps key profiles between events and between runs. */
export interface ProfileStore {
  get(credentialId: string): Profile | null;
  put(credentialId: string, profile: Profile): void;
  /** Makes every put so far durable. */
  flush(): void;
  close(): void;
  /** Number of keys with a stored profile. */
  size(): number;
}

/** 2: profiles are `encodeProfile` BLOBs (1 was JSON text). */
const SCHEMA_VERSION = 2;

/**
 * Profiles in one SQLite file (node:sqlite, no native addon). Writes are buffered in memory and written
 * in one transaction per `flushEvery` puts: a crash loses at most that many updates of learning, never
 * an alert (alerts are written by the caller before it flushes).
 */
export class SqliteProfileStore implements ProfileStore {
  readonly #db: DatabaseSync;
  readonly #select: StatementSync;
  readonly #upsert: StatementSync;
  /** Pending puts, encoded at put time: a profile that cannot be encoded fails its own event, not a flush. */
  readonly #dirty = new Map<string, { profile: Profile; bytes: Uint8Array }>();
  readonly #flushEvery: number;
  readonly #path: string;

  constructor(path: string, options: { flushEvery?: number } = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#path = path;
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS profiles (credential_id TEXT PRIMARY KEY, profile BLOB NOT NULL) WITHOUT ROWID;`);
    const row = this.#db.prepare("SELECT value FROM meta WHERE name = 'schema_version'").get() as { value: string } | undefined;
    if (row === undefined) {
      this.#db.prepare("INSERT INTO meta (name, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
    } else if (Number(row.value) !== SCHEMA_VERSION) {
      throw new Error(
        `state file ${path} has schema version ${row.value}; this keywatch reads version ${SCHEMA_VERSION} (move the file away and rebuild the baselines with \`keywatch replay --learn-only\`)`,
      );
    }
    this.#select = this.#db.prepare('SELECT profile FROM profiles WHERE credential_id = ?');
    this.#upsert = this.#db.prepare(
      'INSERT INTO profiles (credential_id, profile) VALUES (?, ?) ON CONFLICT(credential_id) DO UPDATE SET profile = excluded.profile',
    );
    this.#flushEvery = options.flushEvery ?? 2000;
  }

  get(credentialId: string): Profile | null {
    const pending = this.#dirty.get(credentialId);
    if (pending) return pending.profile;
    const row = this.#select.get(credentialId) as { profile: Uint8Array } | undefined;
    if (!row) return null;
    try {
      return decodeProfile(row.profile);
    } catch (err) {
      throw new Error(`state file ${this.#path}: profile of ${credentialId}: ${(err as Error).message}`);
    }
  }

  put(credentialId: string, profile: Profile): void {
    this.#dirty.set(credentialId, { profile, bytes: encodeProfile(profile) });
    if (this.#dirty.size >= this.#flushEvery) this.flush();
  }

  flush(): void {
    if (this.#dirty.size === 0) return;
    inTransaction(this.#db, () => {
      for (const [id, p] of this.#dirty) this.#upsert.run(id, p.bytes);
    });
    this.#dirty.clear();
  }

  size(): number {
    this.flush();
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM profiles').get() as { n: number }).n;
  }

  close(): void {
    this.flush();
    this.#db.close();
  }
}

/** A store that forgets everything at exit (runs without `--state`). */
export class MemoryProfileStore implements ProfileStore {
  readonly #map = new Map<string, Profile>();
  get(credentialId: string): Profile | null {
    return this.#map.get(credentialId) ?? null;
  }
  put(credentialId: string, profile: Profile): void {
    this.#map.set(credentialId, profile);
  }
  flush(): void {}
  close(): void {}
  size(): number {
    return this.#map.size;
  }
}
