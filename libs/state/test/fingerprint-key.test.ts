import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFingerprintKey, SqliteProfileStore } from '../src/index.ts';

describe('the installation fingerprint key', () => {
  it('is created at random on first use and kept in the state file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-fpkey-'));
    const first = loadFingerprintKey(join(dir, 'state.db'));
    expect(first).toHaveLength(32);
    expect(loadFingerprintKey(join(dir, 'state.db'))).toEqual(first);
    expect(loadFingerprintKey(join(dir, 'other.db'))).not.toEqual(first);
  });

  it('lives beside the profiles without disturbing them', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kw-fpkey-')), 'state.db');
    const store = new SqliteProfileStore(path);
    const key = loadFingerprintKey(path);
    store.close();
    const reopened = new SqliteProfileStore(path);
    expect(reopened.size()).toBe(0);
    reopened.close();
    expect(loadFingerprintKey(path)).toEqual(key);
  });
});
