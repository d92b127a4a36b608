import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keywatch, readNdjson, tempDir } from './cli.ts';
import { KEY, mondayAttack, ndjson, normalWeek } from './trail.ts';

// Issue 10 item 8: errors that help. A damaged state is named with what to do and never reset; options are
// checked before anything runs; a BOM costs nothing in any file keywatch reads.

const trail = [...normalWeek(5), ...mondayAttack()];
const ADVICE = 'restore it from a backup, or move it away and rebuild the baselines with `keywatch replay --learn-only';

/** One line on stderr, no stack trace. */
function oneClearLine(stderr: string): string {
  expect(stderr).not.toMatch(/^\s+at /m);
  const lines = stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('errors that help', () => {
  it('every command names a damaged state file and says what to do, and leaves the file as it was', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.ndjson'), ndjson(trail));
    expect(keywatch(['run', '-i', 't.ndjson', '--state', 's.db', '-q'], { cwd: dir }).status).toBe(0);
    const alertId = readNdjson(join(dir, 'keywatch-alerts.ndjson'))[0].event.id as string;
    // Page 1 past the 100-byte header holds the schema: zeroed, SQLite calls the file malformed.
    const bytes = readFileSync(join(dir, 's.db'));
    bytes.fill(0xa5, 100, 4096);
    writeFileSync(join(dir, 's.db'), bytes);

    const commands = [
      ['run', '-i', 't.ndjson', '--state', 's.db', '--reprocess', '-o', 'again.ndjson'],
      ['replay', '-i', 't.ndjson', '--state', 's.db', '--learn-only', '--no-alerts-out'],
      ['explain', KEY, '--state', 's.db'],
      ['report', '--state', 's.db', '-o', 'report'],
      ['feedback', alertId, '--benign', '--state', 's.db'],
    ];
    for (const args of commands) {
      const r = keywatch(args, { cwd: dir });
      expect(r.status, args.join(' ')).toBe(1);
      expect(oneClearLine(r.stderr)).toBe(
        `keywatch: state file s.db: database disk image is malformed; ${ADVICE} --state <new file>\``,
      );
      expect(readFileSync(join(dir, 's.db')).equals(bytes), `${args[0]} changed the state file`).toBe(true);
    }
    // Nothing was written: no alerts, no report (SQLite's own -wal/-shm side files aside).
    expect(readdirSync(dir).filter((f) => !/^s\.db-(wal|shm)$/.test(f))).toEqual(['keywatch-alerts.ndjson', 's.db', 't.ndjson']);

    mkdirSync(join(dir, 'folder.db'));
    for (const args of [
      ['explain', KEY, '--state', 'folder.db'],
      ['report', '--state', 'folder.db', '-o', 'report'],
    ]) {
      const r = keywatch(args, { cwd: dir });
      expect(r.status).toBe(1);
      expect(oneClearLine(r.stderr)).toBe('keywatch: state file folder.db is a directory');
    }
  });

  it('a geo data file that cannot be read or is not what it claims is one line naming it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.ndjson'), ndjson(normalWeek(1)));
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'ranges.csv'), 'aws,us-east-1\n');
    for (const [args, message] of [
      [['--geo-db', 'folder'], /^keywatch: cannot read the geo database folder: EISDIR/],
      [['--asn-db', 'missing.mmdb'], /^keywatch: cannot read the asn database missing\.mmdb: ENOENT/],
      [['--geo-db', 't.ndjson'], /^keywatch: t\.ndjson is not a MaxMind DB \(\.mmdb\) file/],
      [['--cloud-ranges', 'ranges.csv'], /^keywatch: ranges\.csv:1: expected "provider,region,cidr"/],
    ] as const) {
      const r = keywatch(['run', '-i', 't.ndjson', '-q', ...args], { cwd: dir });
      expect(r.status, args.join(' ')).toBe(1);
      expect(oneClearLine(r.stderr)).toMatch(message);
    }
  });

  it('demo checks its options before generating anything', () => {
    const dir = tempDir();
    for (const [option, value, range] of [
      ['--keys', '0', '1 to 10000'],
      ['--days', '2.5', '1 to 366'],
    ] as const) {
      const r = keywatch(['demo', option, value, '--out-dir', 'data'], { cwd: dir });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(
        `error: option '${option} <n>' argument '${value}' is invalid. must be a whole number from ${range}`,
      );
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
    expect(readdirSync(dir)).toEqual([]);
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'file'), '');
    for (const [args, message] of [
      [['-o', 'folder'], 'keywatch: --alerts-out folder is a directory; give a file name'],
      [['--out-dir', 'file'], 'keywatch: --out-dir file is a file; give a folder name'],
    ] as const) {
      const r = keywatch(['demo', '--keys', '1', '--days', '1', ...args], { cwd: dir });
      expect(r.status).toBe(1);
      expect(oneClearLine(r.stderr)).toBe(message);
    }
  });

  it('demo --out-dir writes every record it generated as NDJSON', () => {
    const dir = tempDir();
    const r = keywatch(['demo', '--keys', '3', '--days', '4', '--out-dir', 'data', '--no-alerts-out', '-q'], { cwd: dir });
    expect(r.status).toBe(0);
    const generated = Number(/keywatch demo: ([\d,]+) CloudTrail-style records/.exec(r.stderr)![1]!.replaceAll(',', ''));
    expect(generated).toBeGreaterThan(100);
    const records = readNdjson(join(dir, 'data', 'cloudtrail.ndjson'));
    expect(records).toHaveLength(generated);
    expect(new Set(records.map((x) => x.eventID)).size).toBe(generated);
  });

  it('a UTF-8 BOM costs nothing in a registry, a suppressions file or a delivery config', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.ndjson'), ndjson(trail));
    const bom = '\ufeff';
    writeFileSync(join(dir, 'keys.json'), `${bom}${JSON.stringify({ keys: [{ id: KEY, owner: 'team-bom' }] })}`);
    writeFileSync(join(dir, 'keys.yaml'), `${bom}keys:\n  - id: ${KEY}\n    owner: team-bom\n`);
    writeFileSync(
      join(dir, 'allow.yaml'),
      `${bom}suppressions:\n  - key: ${KEY}\n    rules: [write_on_read_only]\n    reason: the batch job writes\n`,
    );
    writeFileSync(join(dir, 'delivery.yaml'), `${bom}destinations:\n  copy:\n    kind: file\n    path: delivered.ndjson\n`);
    const plain = keywatch(['run', '-i', 't.ndjson', '-q', '-o', 'plain.ndjson'], { cwd: dir });
    expect(plain.status).toBe(0);
    const rules = (file: string) => readNdjson(join(dir, file)).map((a) => a.rule.id as string);
    expect(rules('plain.ndjson')).toContain('write_on_read_only');

    for (const registry of ['keys.json', 'keys.yaml']) {
      const out = `alerts-${registry}.ndjson`;
      const args = ['run', '-i', 't.ndjson', '-q', '-k', registry, '--suppressions', 'allow.yaml', '-o', out];
      const r = keywatch([...args, '--delivery', 'delivery.yaml', '--drain-seconds', '5'], { cwd: dir });
      expect(r.status, r.stderr).toBe(0);
      const alerts = readNdjson(join(dir, out));
      expect(alerts.length).toBeGreaterThan(0);
      expect(alerts.every((a) => a.keywatch.key.owner === 'team-bom')).toBe(true);
      expect(rules(out)).toEqual(rules('plain.ndjson').filter((rule) => rule !== 'write_on_read_only'));
    }
    expect(readNdjson(join(dir, 'delivered.ndjson')).length).toBeGreaterThan(0);
  });
});
