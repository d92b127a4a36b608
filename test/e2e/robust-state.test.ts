import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { BIN, keywatch, readNdjson, tempDir } from './cli.ts';
import { mondayAttack, ndjson, normalWeek } from './trail.ts';

// Issue 10 items 2, 3, 5, 8: outputs that cannot destroy anything, one run per state, a ledger of inputs.

const trail = [...normalWeek(5), ...mondayAttack()];

describe('keywatch run: outputs and state that cannot be destroyed', () => {
  it('refuses an output that is an input, the state, another output or a directory, before touching anything', () => {
    const dir = tempDir();
    const text = ndjson(trail);
    writeFileSync(join(dir, 'v.ndjson'), text);
    symlinkSync(join(dir, 'v.ndjson'), join(dir, 'link.ndjson'));
    mkdirSync(join(dir, 'out'));
    const cases: [string[], RegExp][] = [
      [['-o', 'v.ndjson'], /--alerts-out v\.ndjson is the same file as input v\.ndjson/],
      [['--dead-letter', 'link.ndjson'], /--dead-letter link\.ndjson is the same file as input v\.ndjson/],
      [['--state', 's.db', '-o', 's.db'], /--alerts-out s\.db is the same file as --state s\.db/],
      [['--stats-json', 'a.json', '--dead-letter', 'a.json'], /--stats-json a\.json is the same file as --dead-letter a\.json/],
      [['--stats-json', 'out'], /--stats-json out is a directory/],
    ];
    for (const [args, message] of cases) {
      const r = keywatch(['run', '-i', 'v.ndjson', ...args], { cwd: dir });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(join(dir, 'v.ndjson'), 'utf8')).toBe(text);
    expect(existsSync(join(dir, 's.db'))).toBe(false);
  });

  it('never reads its own outputs back through a glob; a ledger skips what was processed, --reprocess reads it', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'logs', 'a.ndjson'), ndjson(trail));
    const args = ['run', '-i', 'logs/*', '--state', 'logs/s.db', '--dead-letter', 'logs/dead.ndjson', '-o', 'logs/alerts.ndjson'];
    const first = keywatch([...args, '--stats-json', 'one.json'], { cwd: dir });
    expect(first.status).toBe(0);
    expect(readNdjson(join(dir, 'logs', 'alerts.ndjson')).map((a) => a.rule.id)).toEqual(['new_country', 'write_on_read_only']);
    // Same glob again: the outputs and the state in logs/ are not inputs, and a.ndjson is in the ledger.
    writeFileSync(join(dir, 'logs', 'copy.ndjson'), ndjson(trail));
    const second = keywatch([...args, '--stats-json', 'two.json'], { cwd: dir });
    expect(second.status).toBe(0);
    expect(second.stderr).toMatch(/a\.ndjson: already processed/);
    expect(second.stderr).toMatch(/copy\.ndjson: already processed as logs\/a\.ndjson/);
    expect(JSON.parse(readFileSync(join(dir, 'two.json'), 'utf8')).recordsRead).toBe(0);
    expect(readNdjson(join(dir, 'logs', 'alerts.ndjson'))).toEqual([]);
    // A file that grew is read from where it ended.
    writeFileSync(join(dir, 'logs', 'a.ndjson'), ndjson([...trail, ...normalWeek(1, '2026-03-10')]));
    const grown = keywatch([...args, '--stats-json', 'three.json'], { cwd: dir });
    expect(grown.stderr).toMatch(/a\.ndjson: grown since; reading after record 82/);
    expect(JSON.parse(readFileSync(join(dir, 'three.json'), 'utf8')).recordsRead).toBe(normalWeek(1).length);
    const again = keywatch([...args, '--reprocess', '--stats-json', 'four.json', '-q'], { cwd: dir });
    expect(again.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'four.json'), 'utf8')).recordsRead).toBe(2 * trail.length + normalWeek(1).length);
  });

  it('a second run on a busy state fails at once naming the holder; feedback never creates a state; a foreign file is refused', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.ndjson'), ndjson(trail));
    // A run that holds the state: stdin that stays open.
    const holder = spawn(process.execPath, [BIN, 'run', '-i', '-', '--state', 's.db', '--no-alerts-out', '-q'], { cwd: dir });
    try {
      const deadline = Date.now() + 60_000;
      while (!existsSync(join(dir, 's.db.lock')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const second = keywatch(['run', '-i', 't.ndjson', '--state', 's.db'], { cwd: dir });
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(new RegExp(`state file s\\.db is in use by \`keywatch run\` \\(pid ${holder.pid} on `));
    } finally {
      holder.stdin.end();
      await new Promise((r) => holder.on('close', r));
    }
    expect(existsSync(join(dir, 's.db.lock'))).toBe(false);

    const fb = keywatch(['feedback', 'abcdef12', '--benign', '--state', 'missing.db'], { cwd: dir });
    expect(fb.status).toBe(1);
    expect(fb.stderr).toMatch(/state file missing\.db does not exist/);
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);

    const db = new DatabaseSync(join(dir, 'app.db'));
    db.exec('CREATE TABLE users (id INTEGER)');
    db.close();
    const foreign = keywatch(['run', '-i', 't.ndjson', '--state', 'app.db'], { cwd: dir });
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toMatch(/app\.db is an SQLite file but not a keywatch state \(tables: users\)/);
  });

  it('with -q the terminal shows the first dead letters, then the counts', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.ndjson'), `${Array.from({ length: 40 }, (_, i) => `not json ${i}`).join('\n')}\n`);
    const r = keywatch(['run', '-i', 'bad.ndjson', '-q', '--no-alerts-out'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr.match(/^dead letter /gm)).toHaveLength(5);
    expect(r.stderr).toMatch(/further dead letters are not shown/);
    expect(r.stderr).toMatch(/dead letters: 40 \(invalid_json 40\)/);
  });
});
