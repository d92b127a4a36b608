// CLI manners an operator or a CI job relies on: --version, `-` for stdout, colour rules, --fail-on.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, keywatch, ROOT, tempDir } from './cli.ts';
import { mondayAttack, ndjson, normalWeek } from './trail.ts';

const SEVERITIES = ['low', 'medium', 'high', 'critical'];

function trailDir(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'trail.ndjson'), ndjson([...normalWeek(5), ...mondayAttack()]));
  return dir;
}

/** Like `keywatch`, with the environment under the test's control (no NO_COLOR by default). */
function withEnv(args: string[], cwd: string, env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NO_COLOR' && k !== 'FORCE_COLOR'));
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...clean, ...env } });
}

describe('keywatch CLI manners', () => {
  it('answers --version with the package version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'services/cli/package.json'), 'utf8')) as { version: string };
    const r = keywatch(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('writes alerts to stdout for -o -, as NDJSON only, and creates no file named -', () => {
    const dir = trailDir();
    const r = keywatch(['run', '-i', 'trail.ndjson', '-o', '-'], { cwd: dir });
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect((JSON.parse(line) as { event: { kind: string } }).event.kind).toBe('alert');
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  it('writes the stats to stdout for --stats-json -', () => {
    const dir = trailDir();
    const r = keywatch(['run', '-i', 'trail.ndjson', '--no-alerts-out', '--stats-json', '-'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ recordsRead: expect.any(Number), alerts: { total: expect.any(Number) } });
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  it('colours only on a terminal or with FORCE_COLOR, never with NO_COLOR', () => {
    const dir = trailDir();
    const args = ['run', '-i', 'trail.ndjson', '--no-alerts-out'];
    expect(withEnv(args, dir, {}).stdout).not.toContain('\x1b['); // a pipe is not a terminal
    expect(withEnv(args, dir, { NO_COLOR: '1' }).stdout).not.toContain('\x1b[');
    expect(withEnv(args, dir, { FORCE_COLOR: '1' }).stdout).toContain('\x1b[');
    expect(withEnv(args, dir, { FORCE_COLOR: '0' }).stdout).not.toContain('\x1b[');
  }, 240_000);

  it('exits 3 with --fail-on when an alert at or above the severity was raised, 0 below it', () => {
    const dir = trailDir();
    const first = keywatch(['run', '-i', 'trail.ndjson', '-o', 'alerts.ndjson'], { cwd: dir });
    expect(first.status).toBe(0);
    const raised = readFileSync(join(dir, 'alerts.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => SEVERITIES.indexOf((JSON.parse(l) as { keywatch: { alert: { severity: string } } }).keywatch.alert.severity));
    expect(raised.length).toBeGreaterThan(0);
    const top = Math.max(...raised);
    const failed = keywatch(['run', '-i', 'trail.ndjson', '--no-alerts-out', '-q', '--fail-on', SEVERITIES[top]!], { cwd: dir });
    expect(failed.status).toBe(3);
    expect(failed.stderr).toMatch(/at or above .* \(--fail-on\): exit 3/);
    if (top < SEVERITIES.length - 1) {
      const above = SEVERITIES[top + 1]!;
      expect(keywatch(['run', '-i', 'trail.ndjson', '--no-alerts-out', '-q', '--fail-on', above], { cwd: dir }).status).toBe(0);
    }
    expect(keywatch(['run', '-i', 'trail.ndjson', '--fail-on', 'urgent'], { cwd: dir }).status).not.toBe(0);
  }, 240_000);

  it('reports expected failures as one line without a stack, whatever their message starts with', () => {
    const dir = trailDir();
    writeFileSync(
      join(dir, 'allow.yaml'),
      'suppressions:\n  - key: AKIA0000000000000001\n    rules: [new_ip]\n    expires: someday\n',
    );
    const cases = [
      // A bad option value (UsageError), a bad file (ConfigError), a missing file (InputError).
      {
        args: ['run', '-i', 'trail.ndjson', '--format', 'gateway', '--gateway', 'nope', '-q'],
        line: /^keywatch: --gateway nope: unknown preset/,
      },
      {
        args: ['run', '-i', 'trail.ndjson', '--suppressions', 'allow.yaml', '-q'],
        line: /^keywatch: allow\.yaml: invalid configuration/,
      },
      { args: ['run', '-i', 'missing.ndjson', '-q'], line: /^keywatch: .*missing\.ndjson/ },
    ];
    for (const { args, line } of cases) {
      const r = keywatch(args, { cwd: dir });
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(line);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });
});
