import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { emptyProfile } from '@keywatch/detect';
import { describe, expect, it } from 'vitest';
import { SqliteProfileStore } from '../src/index.ts';

describe('SqliteProfileStore', () => {
  it('keeps profiles across reopen', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kw-state-')), 'state.db');
    const a = new SqliteProfileStore(path, { flushEvery: 10 });
    const p = { ...emptyProfile(1000), events: 42 };
    a.put('AKIA1', p);
    expect(a.get('AKIA1')?.events).toBe(42);
    a.close();
    const b = new SqliteProfileStore(path);
    expect(b.get('AKIA1')?.events).toBe(42);
    expect(b.get('nope')).toBeNull();
    expect(b.size()).toBe(1);
    b.close();
  });

  it('refuses a state file of another schema version', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kw-state-')), 'state.db');
    new SqliteProfileStore(path).close();

    const db = new DatabaseSync(path);
    db.exec("UPDATE meta SET value = '99' WHERE name = 'schema_version'");
    db.close();
    expect(() => new SqliteProfileStore(path)).toThrow(/schema version 99/);
  });
});
