import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { emptyProfile } from '@keywatch/detect';
import { describe, expect, it } from 'vitest';
import { openStateFile, SqliteProfileStore } from '../src/index.ts';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'kw-statefile-')), 'state.db');

describe('openStateFile', () => {
  it('takes an exclusive lock naming the holder, and releases it', () => {
    const path = fresh();
    const lock = openStateFile(path, { create: true, command: 'run' });
    expect(() => openStateFile(path, { create: true, command: 'run' })).toThrow(
      new RegExp(`state file ${path} is in use by \`keywatch run\` \\(pid ${process.pid} on `),
    );
    lock.release();
    expect(existsSync(`${path}.lock`)).toBe(false);
    openStateFile(path, { create: true, command: 'run' }).release();
  });

  it('takes over a lock left by a process that is gone (kill -9)', () => {
    const path = fresh();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const holder = { pid: Number(gone.stdout), host: hostname(), command: 'run', since: 'then' };
    writeFileSync(`${path}.lock`, JSON.stringify(holder));
    const lock = openStateFile(path, { create: true, command: 'run' });
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('refuses a missing file unless asked to create it, a foreign SQLite file and a damaged one', () => {
    const path = fresh();
    expect(() => openStateFile(path, { create: false, command: 'feedback' })).toThrow(/does not exist/);
    expect(existsSync(path)).toBe(false);

    const foreign = fresh();
    const db = new DatabaseSync(foreign);
    db.exec('CREATE TABLE invoices (id INTEGER)');
    db.close();
    expect(() => openStateFile(foreign, { create: true, command: 'run' })).toThrow(/not a keywatch state \(tables: invoices\)/);

    const damaged = fresh();
    writeFileSync(damaged, 'this is not a database, just text long enough to have a header '.repeat(20));
    expect(() => openStateFile(damaged, { create: true, command: 'run' })).toThrow(
      new RegExp(`state file ${damaged}: .*; restore it from a backup, or move it away`),
    );
  });
});

describe('SqliteProfileStore ledger and checkpoints', () => {
  it('writes profiles and input progress together, only at a checkpoint', () => {
    const path = fresh();
    const a = new SqliteProfileStore(path);
    a.put('k1', { ...emptyProfile(1000), events: 7 });
    // Not checkpointed: a crash now loses it (another connection sees nothing).
    const peek = new SqliteProfileStore(path);
    expect(peek.get('k1')).toBeNull();
    a.checkpoint({ path: 'a.ndjson', size: 10, sha256: 'ab', records: 3, complete: false });
    expect(peek.get('k1')?.events).toBe(7);
    expect(peek.input('a.ndjson')).toEqual({ path: 'a.ndjson', size: 10, sha256: 'ab', records: 3, complete: false });
    expect(peek.completedInput(10, 'ab')).toBeNull();
    a.checkpoint({ path: 'a.ndjson', size: 10, sha256: 'ab', records: 5, complete: true });
    expect(peek.completedInput(10, 'ab')?.records).toBe(5);
    a.close();
    peek.close();
  });
});
