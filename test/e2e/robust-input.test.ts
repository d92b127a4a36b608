import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { keywatch, readNdjson, tempDir } from './cli.ts';
import { mondayAttack, ndjson, normalWeek } from './trail.ts';

// Issue 10 items 1 and 4: no record and no file can stop a run; every record is accounted for.

const trail = [...normalWeek(5), ...mondayAttack()];

function run(dir: string, args: string[], input?: string) {
  const r = keywatch(['run', '--stats-json', 'stats.json', '--dead-letter', 'dead.ndjson', '-q', ...args], {
    cwd: dir,
    ...(input !== undefined ? { input } : {}),
  });
  const stats = JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8'));
  return { ...r, stats, dead: readNdjson(join(dir, 'dead.ndjson')) };
}

describe('keywatch run: inputs that cannot stop a run', () => {
  it('a time outside 2000..2100 is one dead letter, not the end of the run, and the state is saved', () => {
    const dir = tempDir();
    const far = [
      { ...trail[0], eventTime: '2107-01-01T00:00:00Z', eventID: 'far-future' },
      { ...trail[1], eventTime: '1969-12-31T23:59:59Z', eventID: 'far-past' },
    ];
    writeFileSync(join(dir, 't.ndjson'), ndjson([...trail.slice(0, 40), ...far, ...trail.slice(40)]));
    const canonical = '{"id":"c1","time":"2150-01-01T00:00:00Z","provider":"gw","credentialId":"k","action":"GET /"}\n';
    writeFileSync(join(dir, 'c.ndjson'), canonical);
    const r = run(dir, ['-i', 't.ndjson', 'c.ndjson', '--state', 's.db']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    expect(r.stats).toMatchObject({ recordsRead: trail.length + 3, eventsNormalized: trail.length, alerts: { total: 2 } });
    // c.ndjson holds no readable event, so it is read first (files go in the order of their first call).
    expect(r.dead.map((d) => [d.reason, d.file, d.line])).toEqual([
      ['invalid_field', 'c.ndjson', 1],
      ['invalid_field', 't.ndjson', 41],
      ['invalid_field', 't.ndjson', 42],
    ]);
    // The baseline was saved: the attack again alerts nothing new as new_country (the country is known now).
    expect(keywatch(['run', '-i', 't.ndjson', '--state', 's.db', '-q'], { cwd: dir }).status).toBe(0);
  });

  it('reads gzip by magic bytes under any name and on stdin, and survives a corrupt one', () => {
    const dir = tempDir();
    const text = ndjson(trail);
    writeFileSync(join(dir, 'a.log'), gzipSync(text));
    const gz = gzipSync(ndjson(normalWeek(3, '2026-02-01')));
    writeFileSync(join(dir, 'b-truncated.json.gz'), gz.subarray(0, gz.length - 20));
    writeFileSync(join(dir, 'c-plain.gz'), ndjson(normalWeek(1, '2026-01-01')));
    writeFileSync(join(dir, 'd-empty.gz'), '');
    const r = run(dir, ['-i', 'b-truncated.json.gz', 'c-plain.gz', 'd-empty.gz', 'a.log']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    expect(r.dead).toHaveLength(1);
    expect(r.dead[0]).toMatchObject({ reason: 'unreadable_input', file: 'b-truncated.json.gz' });
    expect(r.dead[0].message).toMatch(/gzip.*compressed byte/);
    // Read in the order of their calls (January, February, then March's trail): the key's return after weeks of
    // silence is judged too, besides the attack's two alerts.
    expect(r.stats.alerts.byRule).toEqual({ dormant_key: 1, new_country: 1, write_on_read_only: 1 });

    const stdin = keywatch(['run', '-i', '-', '--no-alerts-out', '-q', '--stats-json', 's.json'], {
      cwd: dir,
      input: gzipSync(text) as unknown as string,
    });
    expect(stdin.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'))).toMatchObject({
      recordsRead: trail.length,
      deadLettered: { total: 0 },
    });
  });

  it('a stray first bracket, a BOM and a pretty-printed document cost nothing', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'stray.ndjson'), `[\n${ndjson(trail)}`);
    writeFileSync(join(dir, 'bom.ndjson'), `\ufeff${ndjson(normalWeek(1, '2026-01-01'))}`);
    writeFileSync(join(dir, 'doc.json'), `\ufeff${JSON.stringify({ Records: normalWeek(1, '2026-01-13') }, null, 2)}`);
    const r = run(dir, ['-i', 'stray.ndjson', 'bom.ndjson', 'doc.json']);
    expect(r.status).toBe(0);
    expect(r.stats.eventsNormalized).toBe(trail.length + 2 * normalWeek(1).length);
    expect(r.dead.map((d) => [d.file, d.line, d.reason])).toEqual([['stray.ndjson', 1, 'invalid_json']]);
    // The two January weeks are read before March's trail (files in the order of their calls): 47 silent days.
    expect(r.stats.alerts.byRule).toEqual({ dormant_key: 1, new_country: 1, write_on_read_only: 1 });
  });

  it('a file that disappears or cannot be read is one dead letter; a file given twice is read once', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.ndjson'), ndjson(trail));
    const r = run(dir, ['-i', 't.ndjson', './t.ndjson', `${dir}/t.ndjson`]);
    expect(r.status).toBe(0);
    expect(r.stats.recordsRead).toBe(trail.length);
  });
});
