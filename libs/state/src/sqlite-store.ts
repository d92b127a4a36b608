import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { decodeProfile, encodeProfile, type Profile } from '@keywatch/detect';
import { stateFileError } from './state-file.ts';
import { StateFileError } from './state-reader.ts';
import { inTransaction } from './transaction.ts';

interface InputRow {
  path: string;
  size: number;
  sha256: string;
  records: number;
  complete: number;
}

function fromRow(r: InputRow): InputProgress {
  return { path: r.path, size: r.size, sha256: r.sha256, records: r.records, complete: r.complete === 1 };
}

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

/** How far one input was processed, kept in the state's ledger (`inputs`) with the profiles it produced. */
export interface InputProgress {
  path: string;
  size: number;
  /** SHA-256 (hex) of the file's bytes as they were when the run began reading it. */
  sha256: string;
  /** Records of the file processed so far (all of them when `complete`). */
  records: number;
  complete: boolean;
}

/** Events a reorder buffer holds at a checkpoint: an id each (time and event id) and their JSON, made only when new. */
export interface HeldCheckpoint {
  entries: ReadonlyArray<{ id: string; json: () => string }>;
  /** Latest event time the buffer has seen, epoch ms. */
  maxTimeMs: number;
}

/**
 * Profiles in one SQLite file (node:sqlite, no native addon), with the ledger of processed inputs.
 * Writes are buffered in memory and written in one transaction by `checkpoint` (the caller calls it
 * between records, every few seconds, with how far its input got): profiles and ledger are always
 * consistent, so a crash loses only the work since the last checkpoint and a rerun resumes exactly there.
 * A memory valve flushes on its own when `maxDirty` distinct keys are pending.
 */
export class SqliteProfileStore implements ProfileStore {
  readonly #db: DatabaseSync;
  readonly #select: StatementSync;
  readonly #upsert: StatementSync;
  readonly #putInput: StatementSync;
  /** Pending puts, encoded at put time: a profile that cannot be encoded fails its own event, not a flush. */
  readonly #dirty = new Map<string, { profile: Profile; bytes: Uint8Array }>();
  readonly #maxDirty: number;
  readonly #path: string;
  /** Ids of the held events the file holds now (`held`): a checkpoint writes only the difference. */
  #heldSaved = new Set<string>();

  constructor(path: string, options: { maxDirty?: number } = {}) {
    this.#path = path;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.#db = new DatabaseSync(path);
      this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
      this.#db.exec(`CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS profiles (credential_id TEXT PRIMARY KEY, profile BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS inputs (path TEXT PRIMARY KEY, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
          records INTEGER NOT NULL, complete INTEGER NOT NULL, updated TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS held (id TEXT PRIMARY KEY, event TEXT NOT NULL) WITHOUT ROWID;`);
      const row = this.#db.prepare("SELECT value FROM meta WHERE name = 'schema_version'").get() as { value: string } | undefined;
      if (row === undefined) {
        this.#db.prepare("INSERT INTO meta (name, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
      } else if (Number(row.value) !== SCHEMA_VERSION) {
        throw new StateFileError(
          `state file ${path} has schema version ${row.value}; this keywatch reads version ${SCHEMA_VERSION} (move the file away and rebuild the baselines with \`keywatch replay --learn-only\`)`,
        );
      }
      this.#select = this.#db.prepare('SELECT profile FROM profiles WHERE credential_id = ?');
      this.#upsert = this.#db.prepare(
        'INSERT INTO profiles (credential_id, profile) VALUES (?, ?) ON CONFLICT(credential_id) DO UPDATE SET profile = excluded.profile',
      );
      this.#putInput = this.#db.prepare(
        `INSERT INTO inputs (path, size, sha256, records, complete, updated) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, records = excluded.records,
         complete = excluded.complete, updated = excluded.updated`,
      );
    } catch (error) {
      throw stateFileError(path, error);
    }
    this.#maxDirty = options.maxDirty ?? 50_000;
  }

  /** The ledger's entry for a path, if any. */
  input(path: string): InputProgress | null {
    const row = this.#db.prepare('SELECT * FROM inputs WHERE path = ?').get(path) as InputRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** A completely processed input with exactly these bytes, under any path. */
  completedInput(size: number, sha256: string): InputProgress | null {
    const row = this.#db
      .prepare('SELECT * FROM inputs WHERE sha256 = ? AND size = ? AND complete = 1 LIMIT 1')
      .get(sha256, size) as InputRow | undefined;
    return row ? fromRow(row) : null;
  }

  /**
   * Writes the pending profiles and, in the same transaction, how far `progress`'s input got and the events the
   * reorder buffer holds (not yet in any profile): a rerun after a crash restores them and resumes after the input
   * checkpointed here.
   */
  checkpoint(progress?: InputProgress, held?: HeldCheckpoint): void {
    if (this.#dirty.size === 0 && progress === undefined && held === undefined) return;
    let saved = this.#heldSaved;
    try {
      inTransaction(this.#db, () => {
        for (const [id, p] of this.#dirty) this.#upsert.run(id, p.bytes);
        if (progress) {
          const { path, size, sha256, records, complete } = progress;
          this.#putInput.run(path, size, sha256, records, complete ? 1 : 0, new Date().toISOString());
        }
        if (held) saved = this.#writeHeld(held);
      });
    } catch (error) {
      throw stateFileError(this.#path, error);
    }
    this.#dirty.clear();
    this.#heldSaved = saved;
  }

  #writeHeld(held: HeldCheckpoint): Set<string> {
    const now = new Set<string>();
    const insert = this.#db.prepare('INSERT OR REPLACE INTO held (id, event) VALUES (?, ?)');
    for (const e of held.entries) {
      now.add(e.id);
      if (!this.#heldSaved.has(e.id)) insert.run(e.id, e.json());
    }
    const remove = this.#db.prepare('DELETE FROM held WHERE id = ?');
    for (const id of this.#heldSaved) if (!now.has(id)) remove.run(id);
    this.#db
      .prepare(
        "INSERT INTO meta (name, value) VALUES ('reorder_max_ms', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
      )
      .run(String(held.maxTimeMs));
    return now;
  }

  /** The held events saved by the last checkpoint (as JSON) and the latest event time the buffer had seen. */
  heldEvents(): { events: string[]; maxTimeMs: number } {
    try {
      const rows = this.#db.prepare('SELECT id, event FROM held').all() as { id: string; event: string }[];
      const max = this.#db.prepare("SELECT value FROM meta WHERE name = 'reorder_max_ms'").get() as { value: string } | undefined;
      this.#heldSaved = new Set(rows.map((r) => r.id));
      return { events: rows.map((r) => r.event), maxTimeMs: max ? Number(max.value) : Number.NEGATIVE_INFINITY };
    } catch (error) {
      throw stateFileError(this.#path, error);
    }
  }

  get(credentialId: string): Profile | null {
    const pending = this.#dirty.get(credentialId);
    if (pending) return pending.profile;
    const row = this.#select.get(credentialId) as { profile: Uint8Array } | undefined;
    if (!row) return null;
    try {
      return decodeProfile(row.profile);
    } catch (err) {
      throw stateFileError(this.#path, new Error(`profile of ${credentialId}: ${(err as Error).message}`));
    }
  }

  put(credentialId: string, profile: Profile): void {
    this.#dirty.set(credentialId, { profile, bytes: encodeProfile(profile) });
    if (this.#dirty.size >= this.#maxDirty) this.flush();
  }

  flush(): void {
    this.checkpoint();
  }

  size(): number {
    this.flush();
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM profiles').get() as { n: number }).n;
  }

  close(): void {
    this.flush();
    this.#db.close();
  }

  /** Closes without writing what is pending: after a failure, the last checkpoint (profiles + ledger) stands. */
  abandon(): void {
    this.#dirty.clear();
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
