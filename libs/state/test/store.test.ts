import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { decodeProfile, emptyProfile, encodeProfile, type Profile } from '@keywatch/detect';
import { describe, expect, it } from 'vitest';
import { SqliteProfileStore } from '../src/index.ts';

describe('SqliteProfileStore', () => {
  it('keeps profiles across reopen', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kw-state-')), 'state.db');
    const a = new SqliteProfileStore(path, { maxDirty: 10 });
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

  it('keeps the held events of the last checkpoint with it, writing only what changed', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kw-state-')), 'state.db');
    const a = new SqliteProfileStore(path);
    expect(a.heldEvents()).toEqual({ events: [], maxTimeMs: Number.NEGATIVE_INFINITY });
    let made = 0;
    const entry = (id: string) => ({
      id,
      json: () => {
        made++;
        return JSON.stringify({ id });
      },
    });
    a.checkpoint(undefined, { entries: [entry('1 a'), entry('2 b')], maxTimeMs: 2 });
    a.put('AKIA1', emptyProfile(1000));
    a.checkpoint(undefined, { entries: [entry('2 b'), entry('3 c')], maxTimeMs: 3 });
    expect(made).toBe(3); // '2 b' was saved already
    a.close();
    const b = new SqliteProfileStore(path);
    expect(b.heldEvents()).toEqual({ events: [JSON.stringify({ id: '2 b' }), JSON.stringify({ id: '3 c' })], maxTimeMs: 3 });
    expect(b.get('AKIA1')).not.toBeNull();
    b.checkpoint(undefined, { entries: [], maxTimeMs: 3 });
    b.close();
    const c = new SqliteProfileStore(path);
    expect(c.heldEvents().events).toEqual([]);
    c.close();
  });

  it('refuses a state file of another schema version', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kw-state-')), 'state.db');
    new SqliteProfileStore(path).close();

    const db = new DatabaseSync(path);
    db.exec("UPDATE meta SET value = '99' WHERE name = 'schema_version'");
    db.close();
    expect(() => new SqliteProfileStore(path)).toThrow(/schema version 99/);
  });

  it('refuses a version-1 (JSON) state file and says how to rebuild it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kw-state-')), 'state.db');
    new SqliteProfileStore(path).close();
    const db = new DatabaseSync(path);
    db.exec("UPDATE meta SET value = '1' WHERE name = 'schema_version'");
    db.close();
    expect(() => new SqliteProfileStore(path)).toThrow(/schema version 1; this keywatch reads version 2 .*replay --learn-only/);
  });

  it('stores profiles as encoded BLOBs that read back as the codec keeps them', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kw-state-')), 'state.db');
    const p: Profile = {
      ...emptyProfile(1_772_445_600),
      events: 90_000,
      ips: [{ h: 0xdeadbeef, n: 70_000, last: 1_772_445_600 }],
      activity: emptyProfile(0).activity.map((_, i) => i % 7),
      located: { t: 1_772_445_600, lat: 52.52, lon: 13.405, country: 'DE' },
      groups: [{ h: 7, until: 1_772_449_200, alertId: '0123456789abcdef0123456789abcdef', count: 2 }],
    };
    const a = new SqliteProfileStore(path);
    a.put('AKIA1', p);
    a.close();

    const db = new DatabaseSync(path);
    const row = db.prepare("SELECT typeof(profile) AS type, profile FROM profiles WHERE credential_id = 'AKIA1'").get() as {
      type: string;
      profile: Uint8Array;
    };
    db.close();
    expect(row.type).toBe('blob');
    expect(row.profile).toEqual(encodeProfile(p));

    const b = new SqliteProfileStore(path);
    expect(b.get('AKIA1')).toEqual(decodeProfile(encodeProfile(p)));
    b.close();
  });

  it('names the key when a stored profile does not decode', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kw-state-')), 'state.db');
    new SqliteProfileStore(path).close();
    const db = new DatabaseSync(path);
    db.prepare('INSERT INTO profiles (credential_id, profile) VALUES (?, ?)').run('AKIABROKEN', new Uint8Array([1, 0, 0]));
    db.close();
    const store = new SqliteProfileStore(path);
    expect(() => store.get('AKIABROKEN')).toThrow(/profile of AKIABROKEN: cannot decode profile: truncated/);
    store.close();
  });
});
