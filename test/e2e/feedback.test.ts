import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakePagerDuty } from '../fakes/pagerduty-fake.ts';
import { keywatch, keywatchAsync, tempDir } from './cli.ts';
import { cloudTrailRecord, KEY, ndjson, normalWeek } from './trail.ts';

const alertsIn = (dir: string) =>
  readFileSync(join(dir, 'keywatch-alerts.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

const fromLisbon = (time: string, id: string) => cloudTrailRecord({ time, ip: '188.166.1.2', id });

describe('warm start, feedback and suppressions through the CLI', () => {
  it('replay --learn-only builds baselines without alerting; the live run then alerts on day one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'history.ndjson'), ndjson([...normalWeek(5), fromLisbon('2026-03-06T12:00:00Z', 'old-1')]));
    writeFileSync(
      join(dir, 'today.ndjson'),
      ndjson([cloudTrailRecord({ time: '2026-03-09T10:00:00Z', ip: '95.173.136.70', id: 'ru-1' })]),
    );
    const replay = keywatch(['replay', '-i', 'history.ndjson', '--learn-only', '--state', 'state.db'], { cwd: dir });
    expect(replay.status).toBe(0);
    expect(alertsIn(dir)).toEqual([]);
    keywatch(['run', '-i', 'today.ndjson', '--state', 'state.db'], { cwd: dir });
    expect(alertsIn(dir).map((a) => a.rule.id)).toEqual(['new_country']);
  });

  it('feedback --benign teaches the baseline and survives a restart; --malicious unlearns', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'week.ndjson'), ndjson(normalWeek(5)));
    writeFileSync(join(dir, 'mon.ndjson'), ndjson([fromLisbon('2026-03-09T10:00:00Z', 'nl-1')]));
    writeFileSync(join(dir, 'tue.ndjson'), ndjson([fromLisbon('2026-03-10T10:00:00Z', 'nl-2')]));
    keywatch(['run', '-i', 'week.ndjson', '--state', 'state.db'], { cwd: dir });
    keywatch(['run', '-i', 'mon.ndjson', '--state', 'state.db'], { cwd: dir });
    const [alert] = alertsIn(dir);
    expect(alert.rule.id).toBe('new_country');

    const unknown = keywatch(['feedback', 'deadbeefdeadbeef', '--benign', '--state', 'state.db'], { cwd: dir });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no alert deadbeefdeadbeef/);

    // The attack taught the profile NL; marking it malicious takes that back out, so Tuesday alerts again.
    const bad = keywatch(['feedback', alert.event.id.slice(0, 10), '--malicious', '--state', 'state.db'], { cwd: dir });
    expect(bad.status).toBe(0);
    keywatch(['run', '-i', 'tue.ndjson', '--state', 'state.db'], { cwd: dir });
    const [again] = alertsIn(dir);
    expect(again.rule.id).toBe('new_country');

    // Benign: the same pattern stops alerting.
    const ok = keywatch(['feedback', again.event.id, '--benign', '--state', 'state.db'], { cwd: dir });
    expect(ok.stdout).toMatch(/taught key AKIAEXAMPLEKEY000001/);
    writeFileSync(join(dir, 'wed.ndjson'), ndjson([fromLisbon('2026-03-11T10:00:00Z', 'nl-3')]));
    keywatch(['run', '-i', 'wed.ndjson', '--state', 'state.db'], { cwd: dir });
    expect(alertsIn(dir)).toEqual([]);
    // Eight CLI runs: a loaded CI machine needs more than the file's default minute.
  }, 240_000);

  it('feedback --benign --delivery resolves the PagerDuty incident the alert opened (same dedup key)', async () => {
    const pagerduty = await startFakePagerDuty();
    try {
      const dir = tempDir();
      const routingKey = '0123456789abcdef0123456789abcdef';
      const env = { KW_TEST_PD_KEY: routingKey };
      writeFileSync(
        join(dir, 'delivery.yaml'),
        `destinations:\n  oncall: { kind: pagerduty, routingKey: env:KW_TEST_PD_KEY, url: ${pagerduty.enqueueUrl} }\nroutes:\n  - match: {}\n    to: [oncall]\n`,
      );
      writeFileSync(join(dir, 'week.ndjson'), ndjson(normalWeek(5)));
      writeFileSync(join(dir, 'mon.ndjson'), ndjson([fromLisbon('2026-03-09T10:00:00Z', 'nl-1')]));
      await keywatchAsync(['run', '-i', 'week.ndjson', '--state', 'state.db'], { cwd: dir, env });
      const run = await keywatchAsync(['run', '-i', 'mon.ndjson', '--state', 'state.db', '--delivery', 'delivery.yaml'], {
        cwd: dir,
        env,
      });
      expect(run.status, run.stderr).toBe(0);
      const [alert] = alertsIn(dir);
      expect(pagerduty.openAlerts().has(`${routingKey}\n${alert.event.id}`)).toBe(true);

      const fb = await keywatchAsync(
        ['feedback', alert.event.id, '--benign', '--state', 'state.db', '--delivery', 'delivery.yaml'],
        {
          cwd: dir,
          env,
        },
      );
      expect(fb.status, fb.stderr).toBe(0);
      expect(fb.stdout).toMatch(/resolved the PagerDuty incident of this alert \(oncall\)/);
      expect(pagerduty.events().at(-1)).toMatchObject({ event_action: 'resolve', dedup_key: alert.event.id });
      expect(pagerduty.openAlerts().has(`${routingKey}\n${alert.event.id}`)).toBe(false);
      expect(fb.stdout + fb.stderr).not.toContain(routingKey);
    } finally {
      await pagerduty.close();
    }
  }, 240_000);

  it('feedback --benign --ttl suppresses a declared rule until it expires', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'keys.yaml'), `keys:\n  - id: ${KEY}\n    scope: read-only\n`);
    const write = (time: string, id: string) =>
      cloudTrailRecord({ time, ip: '3.64.1.10', action: 's3:PutObject', readOnly: false, id });
    writeFileSync(join(dir, 'a.ndjson'), ndjson([write('2026-11-01T10:00:00Z', 'w-1')]));
    writeFileSync(join(dir, 'b.ndjson'), ndjson([write('2026-11-02T10:00:00Z', 'w-2')]));
    const run = (f: string) => keywatch(['run', '-i', f, '--keys', 'keys.yaml', '--state', 'state.db'], { cwd: dir });
    run('a.ndjson');
    const [alert] = alertsIn(dir);
    expect(alert.rule.id).toBe('write_on_read_only');
    // The TTL counts from now (the real clock); the replayed events are in the past, inside it.
    const fb = keywatch(
      ['feedback', alert.event.id, '--benign', '--ttl', '3650d', '--note', 'migration', '--state', 'state.db'],
      { cwd: dir },
    );
    expect(fb.stdout).toMatch(/suppressed write_on_read_only for key AKIAEXAMPLEKEY000001 from\/with s3:PutObject until/);
    run('b.ndjson');
    expect(alertsIn(dir)).toEqual([]);
  });

  it('a suppressions file drops what it matches', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'trail.ndjson'), ndjson([...normalWeek(5), fromLisbon('2026-03-09T10:00:00Z', 'nl-1')]));
    writeFileSync(
      join(dir, 'allow.yaml'),
      `suppressions:\n  - key: ${KEY}\n    countries: [NL]\n    reason: office in Amsterdam\n`,
    );
    const r = keywatch(['run', '-i', 'trail.ndjson', '--suppressions', 'allow.yaml', '--stats-json', 's.json'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(alertsIn(dir)).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')).suppressedFindings).toBe(1);
    writeFileSync(join(dir, 'bad.yaml'), `suppressions:\n  - countries: [Netherlands]\n`);
    const bad = keywatch(['run', '-i', 'trail.ndjson', '--suppressions', 'bad.yaml'], { cwd: dir });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/suppressions\[0\]\.countries\[0\]: must be a 2-letter country code/);
    expect(bad.stderr).toMatch(/suppressions\[0\]\.reason: /);
  });
});
