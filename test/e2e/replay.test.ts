import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { keywatch, readNdjson, tempDir } from './cli.ts';
import { mondayAttack, ndjson, normalWeek } from './trail.ts';

// Issue 10 item 2: re-delivered records change nothing.

const normal = normalWeek(5);
const attack = mondayAttack();

function profiles(state: string): Map<string, string> {
  const db = new DatabaseSync(state, { readOnly: true });
  const rows = db.prepare('SELECT credential_id, hex(profile) AS p FROM profiles').all() as {
    credential_id: string;
    p: string;
  }[];
  db.close();
  return new Map(rows.map((r) => [r.credential_id, r.p]));
}

describe('keywatch run: re-delivered events', () => {
  it('skips events its keys applied already, in another file: no alert, no learning, counted as duplicates', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'trail.ndjson'), ndjson([...normal, ...attack]));
    // The same attack records delivered again in another file, as S3 notifications or a re-sent batch do.
    writeFileSync(join(dir, 'again.ndjson'), ndjson(attack));
    const args = ['--state', 's.db', '-q', '-o', 'alerts.ndjson'];
    const first = keywatch(['run', '-i', 'trail.ndjson', ...args], { cwd: dir });
    expect(first.status).toBe(0);
    const raised = readNdjson(join(dir, 'alerts.ndjson')).map((a) => a.rule.id);
    expect(raised).toEqual(['new_country', 'write_on_read_only']);
    const before = profiles(join(dir, 's.db'));

    const again = keywatch(['run', '-i', 'again.ndjson', ...args, '--stats-json', 'again.json'], { cwd: dir });
    expect(again.status).toBe(0);
    expect(readNdjson(join(dir, 'alerts.ndjson'))).toEqual([]);
    const stats = JSON.parse(readFileSync(join(dir, 'again.json'), 'utf8'));
    expect(stats).toMatchObject({ eventsNormalized: attack.length, duplicateEvents: attack.length, alerts: { total: 0 } });
    expect(again.stderr).toMatch(/duplicates: 2 events their key had applied already/);
    expect(profiles(join(dir, 's.db'))).toEqual(before);
  });
});
