import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { generateDemo } from '@keywatch/demo';
import { describe, expect, it } from 'vitest';
import { rng } from '../seeded-random.ts';
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

/**
 * The records in an arrival order where each one is delayed by up to `seconds`: a record can only come after
 * one at most `seconds` newer, as files of several regions or partitions interleave.
 */
function shuffledWithin(records: Record<string, unknown>[], seconds: number, seed: number): Record<string, unknown>[] {
  const r = rng(seed);
  return records
    .map((rec) => ({ at: Date.parse(String(rec.eventTime)) + r() * seconds * 1000, rec }))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.rec);
}

/** Every alert line (first and final versions) as id, rule, count and evidence event ids, in output order. */
const alertLines = (path: string) =>
  readNdjson(path).map((a) => `${a.event.id} ${a.rule.id} ${a.keywatch.alert.count} ${a.keywatch.evidence.event_ids.join(',')}`);

describe('keywatch run: events out of order within the lateness bound', () => {
  // The demo generator's fleet (20 keys over 14 days with incidents, seed 7), CloudTrail records in time order.
  const demo = generateDemo({ seed: 7, keys: 20, days: 14 });
  const trail = demo.records.filter(
    (r): r is Record<string, unknown> => typeof (r as { eventTime?: unknown }).eventTime === 'string',
  );

  it('gives the alert ids of the time-ordered trail, first and final versions; a replay in any order raises nothing', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(demo.registry));
    writeFileSync(join(dir, 'ordered.ndjson'), ndjson(trail));
    const shuffled = shuffledWithin(trail, 600, 1);
    expect(shuffled).not.toEqual(trail);
    writeFileSync(join(dir, 'shuffled.ndjson'), ndjson(shuffled));
    // Both states start from the same installation key, so secret fingerprints (and secret_in_logs ids) match.
    writeFileSync(join(dir, 'empty.ndjson'), '');
    expect(keywatch(['run', '-i', 'empty.ndjson', '--state', 'seed.db', '-q', '--no-alerts-out'], { cwd: dir }).status).toBe(0);
    copyFileSync(join(dir, 'seed.db'), join(dir, 'a.db'));
    copyFileSync(join(dir, 'seed.db'), join(dir, 'b.db'));
    const run = (input: string, state: string, out: string, extra: string[] = []) =>
      keywatch(
        ['run', '-i', input, '-k', 'keys.json', '--state', state, '-q', '-o', out, '--stats-json', `${out}.json`, ...extra],
        {
          cwd: dir,
        },
      );

    expect(run('ordered.ndjson', 'a.db', 'ordered-alerts.ndjson').status).toBe(0);
    expect(run('shuffled.ndjson', 'b.db', 'shuffled-alerts.ndjson').status).toBe(0);
    const reference = alertLines(join(dir, 'ordered-alerts.ndjson'));
    expect(reference.length).toBeGreaterThan(10);
    expect(alertLines(join(dir, 'shuffled-alerts.ndjson'))).toEqual(reference);
    const stats = JSON.parse(readFileSync(join(dir, 'shuffled-alerts.ndjson.json'), 'utf8'));
    expect(stats).toMatchObject({ eventsNormalized: trail.length, lateEvents: 0, duplicateEvents: 0 });

    // The same records again on the same state, in time order or shuffled: no alert at all.
    for (const input of ['ordered.ndjson', 'shuffled.ndjson']) {
      const again = run(input, 'a.db', 'again.ndjson', ['--reprocess']);
      expect(again.status).toBe(0);
      expect(readNdjson(join(dir, 'again.ndjson'))).toEqual([]);
      const replayed = JSON.parse(readFileSync(join(dir, 'again.ndjson.json'), 'utf8'));
      expect(replayed.duplicateEvents + replayed.lateEvents).toBe(trail.length);
    }
  }, 600_000);

  it('reads the files of a glob in the order of their calls, not their names (a trail stored region by region)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(demo.registry));
    writeFileSync(join(dir, 'ordered.ndjson'), ndjson(trail));
    // As CloudTrail stores a trail: one file per region and period, the region before the time in the name, so
    // name order reads one region's fortnight, then the next's. Hourly files here, so a two-hour bound covers one.
    const files = new Map<string, Record<string, unknown>[]>();
    for (const r of trail) {
      const name = `${r.awsRegion}_${String(r.eventTime).slice(0, 13).replace(/[-:T]/g, '')}.ndjson`;
      files.set(name, [...(files.get(name) ?? []), r]);
    }
    const regions = new Set(trail.map((r) => r.awsRegion));
    expect(regions.size).toBeGreaterThan(1);
    mkdirSync(join(dir, 'trail'));
    for (const [name, records] of files) writeFileSync(join(dir, 'trail', name), ndjson(records));
    // The same records concatenated in name order: read that way, events arrive days late.
    const byName = [...files.keys()].sort().flatMap((name) => files.get(name)!);
    writeFileSync(join(dir, 'by-name.ndjson'), ndjson(byName));
    const run = (input: string, out: string) =>
      keywatch(['run', '-i', input, '-k', 'keys.json', '-q', '-o', out, '--stats-json', `${out}.json`, '--lateness', '2h'], {
        cwd: dir,
      });
    for (const [input, out] of [
      ['ordered.ndjson', 'ordered-alerts.ndjson'],
      ['trail/*.ndjson', 'glob-alerts.ndjson'],
      ['by-name.ndjson', 'by-name-alerts.ndjson'],
    ])
      expect(run(input!, out!).status).toBe(0);
    const stats = (out: string) => JSON.parse(readFileSync(join(dir, `${out}.json`), 'utf8'));
    expect(stats('by-name-alerts.ndjson').lateEvents).toBeGreaterThan(0);
    expect(stats('glob-alerts.ndjson')).toMatchObject({ eventsNormalized: trail.length, lateEvents: 0 });
    // Without a state file each run keys secret fingerprints anew, so secret_in_logs ids differ between runs.
    const lines = (out: string) => alertLines(join(dir, out)).filter((l) => !l.includes('secret_in_logs'));
    expect(lines('ordered-alerts.ndjson').length).toBeGreaterThan(10);
    expect(lines('glob-alerts.ndjson')).toEqual(lines('ordered-alerts.ndjson'));
  }, 600_000);

  it('without the bound (--lateness 0) the shuffled trail changes the alerts: the test can fail', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(demo.registry));
    writeFileSync(join(dir, 'ordered.ndjson'), ndjson(trail));
    writeFileSync(join(dir, 'shuffled.ndjson'), ndjson(shuffledWithin(trail, 600, 1)));
    for (const name of ['ordered', 'shuffled'])
      expect(
        keywatch(['run', '-i', `${name}.ndjson`, '-k', 'keys.json', '-q', '-o', `${name}-alerts.ndjson`, '--lateness', '0'], {
          cwd: dir,
        }).status,
      ).toBe(0);
    const ordered = alertLines(join(dir, 'ordered-alerts.ndjson')).filter((l) => !l.includes('secret_in_logs'));
    const shuffled = alertLines(join(dir, 'shuffled-alerts.ndjson')).filter((l) => !l.includes('secret_in_logs'));
    expect(shuffled).not.toEqual(ordered);
  }, 600_000);
});
