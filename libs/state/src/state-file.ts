import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { StateFileError, stateFileError } from './state-reader.ts';

export { STATE_FILE_ADVICE, stateFileError } from './state-reader.ts';

export interface StateLock {
  readonly path: string;
  release(): void;
}

/**
 * Opens a state file for one command: refuses a missing file (unless `create`), a file that is not a keywatch
 * state (another application's SQLite file is never changed), a damaged one; then takes an exclusive lock
 * (`<state>.lock`, naming the holder). A second run on the same state fails at once instead of losing
 * half of the learning; a lock left by a killed process (same host, pid gone) is taken over.
 */
export function openStateFile(path: string, opts: { create: boolean; command: string }): StateLock {
  if (!existsSync(path)) {
    if (!opts.create) throw new StateFileError(`state file ${path} does not exist (keywatch run --state ${path} creates one)`);
    mkdirSync(dirname(path), { recursive: true });
  } else {
    if (statSync(path).isDirectory()) throw new StateFileError(`state file ${path} is a directory`);
    checkStateFile(path);
  }
  return takeLock(path, opts.command);
}

/** Tables only a keywatch state has; a file with tables but no `meta` schema row is someone else's. */
function checkStateFile(path: string): void {
  if (statSync(path).size === 0) return;
  let db: DatabaseSync | null = null;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    );
    if (tables.length === 0) return;
    const version =
      tables.includes('meta') &&
      (db.prepare("SELECT value FROM meta WHERE name = 'schema_version'").get() as { value: string } | undefined);
    if (!version) {
      throw new StateFileError(
        `${path} is an SQLite file but not a keywatch state (tables: ${tables.slice(0, 5).join(', ')}); refusing to change it. Give --state a new file name`,
      );
    }
  } catch (error) {
    throw stateFileError(path, error);
  } finally {
    db?.close();
  }
}

interface LockInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
}

function takeLock(path: string, command: string): StateLock {
  const lockPath = `${path}.lock`;
  const info: LockInfo = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw stateFileError(path, error);
      const holder = readLock(lockPath);
      if (holder !== null && holderAlive(holder)) {
        throw new StateFileError(
          `state file ${path} is in use by \`keywatch ${holder.command}\` (pid ${holder.pid} on ${holder.host}, since ${holder.since}); wait for it to finish or stop it (lock: ${lockPath})`,
          { retriable: true },
        );
      }
      // Left by a process that is gone (kill -9, power loss): take it over.
      try {
        unlinkSync(lockPath);
      } catch {}
      continue;
    }
    writeSync(fd, `${JSON.stringify(info)}\n`);
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      try {
        if (readLock(lockPath)?.pid === process.pid) unlinkSync(lockPath);
      } catch {}
    };
    process.on('exit', release);
    return { path: lockPath, release };
  }
  throw new StateFileError(`state file ${path}: could not take the lock ${lockPath}; remove it if no keywatch uses this state`);
}

function readLock(lockPath: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(lockPath, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

/** On this host a lock is held while its pid lives; a lock from another host is respected (shared volume). */
function holderAlive(holder: LockInfo): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
