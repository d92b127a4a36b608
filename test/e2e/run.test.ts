import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeMmdb } from '../../libs/enrich/test/mmdb-writer.ts';
import { keywatch, tempDir } from './cli.ts';
import { cloudTrailRecord, KEY, mondayAttack, ndjson, normalWeek } from './trail.ts';

const readNdjson = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

const attack = mondayAttack();

describe('keywatch run', () => {
  it('learns a baseline from CloudTrail NDJSON and explains what breaks it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'trail.ndjson'), ndjson([...normalWeek(5), ...attack]));
    const r = keywatch(['run', '--input', 'trail.ndjson', '--stats-json', 'stats.json'], { cwd: dir });
    expect(r.stderr).not.toMatch(/Error|dead letter\s/);
    expect(r.status).toBe(0);
    const alerts = readNdjson(join(dir, 'keywatch-alerts.ndjson'));
    expect(alerts.map((a) => [a.rule.id, a.keywatch.evidence.event_ids[0]])).toEqual([
      ['new_country', 'attack-1'],
      ['write_on_read_only', 'attack-2'],
    ]);
    expect(alerts[0].message).toContain(`Key ${KEY} called sts:GetCallerIdentity from 188.166.1.2 (NL, AS14061`);
    expect(r.stdout).toContain('new_country');
    const stats = JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8'));
    expect(stats).toMatchObject({ recordsRead: 82, eventsNormalized: 82, deadLettered: { total: 0 }, alerts: { total: 2 } });
  });

  it('reads {"Records": [...]} files and uses the key registry', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'trail.json'), JSON.stringify({ Records: [...normalWeek(5), ...attack] }, null, 2));
    writeFileSync(
      join(dir, 'keys.yaml'),
      `keys:\n  - id: ${KEY}\n    owner: team-reports\n    scope: read-only\n    allowedCountries: [US]\n`,
    );
    const r = keywatch(['run', '--input', 'trail.json', '--keys', 'keys.yaml'], { cwd: dir });
    expect(r.status).toBe(0);
    const alerts = readNdjson(join(dir, 'keywatch-alerts.ndjson'));
    const wr = alerts.find((a) => a.rule.id === 'write_on_read_only');
    expect(wr.message).toContain('(owner team-reports, declared read-only)');
    expect(wr.keywatch.key).toMatchObject({ owner: 'team-reports', scope: 'read-only', declared: true });
    expect(alerts.find((a) => a.rule.id === 'new_country').message).toContain('outside its declared countries');
  });

  it('continues baselines across runs through --state', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'week1.ndjson'), ndjson(normalWeek(5)));
    writeFileSync(join(dir, 'week2.ndjson'), ndjson(attack));
    expect(keywatch(['run', '-i', 'week1.ndjson', '--state', 'state.db'], { cwd: dir }).status).toBe(0);
    expect(readNdjson(join(dir, 'keywatch-alerts.ndjson'))).toEqual([]);
    keywatch(['run', '-i', 'week2.ndjson', '--state', 'state.db'], { cwd: dir });
    expect(readNdjson(join(dir, 'keywatch-alerts.ndjson')).map((a) => a.rule.id)).toEqual(['new_country', 'write_on_read_only']);
    // Without the state the second week alone is a young key: nothing to compare with.
    keywatch(['run', '-i', 'week2.ndjson'], { cwd: dir });
    expect(readNdjson(join(dir, 'keywatch-alerts.ndjson'))).toEqual([]);
  });

  it('dead-letters a malformed line with file and line number, goes on, and --strict sets the exit code', () => {
    const dir = tempDir();
    const lines = ndjson(normalWeek(1)).split('\n');
    lines.splice(3, 0, '{"eventVersion": "1.08", "broken');
    writeFileSync(join(dir, 'trail.ndjson'), lines.join('\n'));
    const r = keywatch(['run', '-i', 'trail.ndjson', '--dead-letter', 'dead.ndjson', '--stats-json', 's.json'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/trail\.ndjson:4: invalid_json/);
    const dead = readNdjson(join(dir, 'dead.ndjson'));
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ reason: 'invalid_json', file: 'trail.ndjson', line: 4 });
    expect(JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')).eventsNormalized).toBe(16);
    expect(keywatch(['run', '-i', 'trail.ndjson', '--strict'], { cwd: dir }).status).toBe(2);
  });

  it('reads stdin', () => {
    const r = keywatch(['run', '-i', '-', '--no-alerts-out'], { input: ndjson([...normalWeek(5), ...attack]) });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('write_on_read_only');
  });

  it('names the problem for bad options and files', () => {
    const missing = keywatch(['run', '-i', 'nope.ndjson']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('keywatch: --input nope.ndjson: no such file\n');
    const dir = tempDir();
    writeFileSync(join(dir, 't.ndjson'), '{}\n');
    writeFileSync(join(dir, 'keys.yaml'), `keys:\n  - id: K1\n    scope: readonly\n`);
    const bad = keywatch(['run', '-i', 't.ndjson', '--keys', 'keys.yaml'], { cwd: dir });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/keys\[0\]\.scope/);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace for a user error
  });

  it('answers --help with examples', () => {
    const r = keywatch(['run', '--help']);
    expect(r.status).toBe(0);
    for (const opt of [
      '--input',
      '--format',
      '--keys',
      '--alerts-out',
      '--dead-letter',
      '--state',
      '--stats-json',
      '--strict',
      'Examples:',
    ]) {
      expect(r.stdout).toContain(opt);
    }
  });
});

describe('keywatch run with operator geo data', () => {
  it('--geo-db / --asn-db: locations and networks come from the operator .mmdb files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'trail.ndjson'), ndjson([...normalWeek(5), ...attack]));
    // The home network and the attacker, placed where the bundled data does not put them.
    const place = (country: string, name: string, latitude: number, longitude: number) => ({
      city: { names: { en: name } },
      country: { iso_code: country },
      location: { latitude, longitude },
    });
    writeFileSync(
      join(dir, 'city.mmdb'),
      writeMmdb('GeoLite2-City', [
        ['3.64.1.0/24', place('DE', 'Frankfurt am Main', 50.11, 8.68)],
        ['188.166.1.0/24', place('BR', 'São Paulo', -23.55, -46.63)],
      ]),
    );
    writeFileSync(
      join(dir, 'asn.mmdb'),
      writeMmdb('DBIP-ASN-Lite (compat=GeoLite2-ASN)', [
        ['3.64.1.0/24', { autonomous_system_number: 16509, autonomous_system_organization: 'Amazon.com, Inc.' }],
        ['188.166.1.0/24', { autonomous_system_number: 64500, autonomous_system_organization: 'Example Broadband' }],
      ]),
    );
    const r = keywatch(['run', '-i', 'trail.ndjson', '--geo-db', 'city.mmdb', '--asn-db', 'asn.mmdb'], { cwd: dir });
    expect(r.status).toBe(0);
    const alerts = readNdjson(join(dir, 'keywatch-alerts.ndjson'));
    expect(alerts.find((a) => a.rule.id === 'new_country').message).toContain('188.166.1.2 (BR, AS64500 Example Broadband)');
  });

  it('a missing .mmdb file stops the run before anything is written, naming the file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'trail.ndjson'), ndjson(normalWeek(1)));
    const r = keywatch(['run', '-i', 'trail.ndjson', '--geo-db', 'GeoLite2-City.mmdb'], { cwd: dir });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('GeoLite2-City.mmdb');
    expect(existsSync(join(dir, 'keywatch-alerts.ndjson'))).toBe(false);
  });
});

describe('keywatch run: a cloud-homed key used by two parties', () => {
  // A bot in AWS eu-central-1 (18.184.97.x: Frankfurt in GeoLite2, AWS's geofeed), every half hour for a week.
  const botWeek = () =>
    normalWeek(5).map((r) => ({ ...r, sourceIPAddress: String(r.sourceIPAddress).replace('3.64.1.', '18.184.97.') }));
  const bot = (time: string) => cloudTrailRecord({ time, ip: '18.184.97.10' });

  it('alerts impossible_travel when a Brooklyn ISP uses the key 15 minutes after the bot ran in eu-central-1', () => {
    const dir = tempDir();
    const brooklyn = cloudTrailRecord({ time: '2026-03-09T10:15:00Z', ip: '71.105.3.7', id: 'second-party' });
    writeFileSync(join(dir, 'trail.ndjson'), ndjson([...botWeek(), bot('2026-03-09T10:00:00Z'), brooklyn]));
    const r = keywatch(['run', '-i', 'trail.ndjson'], { cwd: dir });
    expect(r.status).toBe(0);
    const travel = readNdjson(join(dir, 'keywatch-alerts.ndjson')).filter((a) => a.rule.id === 'impossible_travel');
    expect(travel).toHaveLength(1);
    expect(travel[0].message).toMatch(/from AWS eu-central-1, where its workload called 15 minutes earlier: two parties/);
  });

  it('stays quiet when the workload moves to another region (us-east-1) minutes later', () => {
    const dir = tempDir();
    const otherRegion = cloudTrailRecord({ time: '2026-03-09T10:05:00Z', ip: '3.208.41.7' });
    writeFileSync(join(dir, 'trail.ndjson'), ndjson([...botWeek(), bot('2026-03-09T10:00:00Z'), otherRegion]));
    expect(keywatch(['run', '-i', 'trail.ndjson'], { cwd: dir }).status).toBe(0);
    expect(readNdjson(join(dir, 'keywatch-alerts.ndjson')).map((a) => a.rule.id)).not.toContain('impossible_travel');
  });
});
