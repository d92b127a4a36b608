import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { keywatch, tempDir } from './cli.ts';
import { cloudTrailRecord, ndjson, normalWeek } from './trail.ts';

// Planted values are built at run time so this file does not itself look like it leaks secrets.
const PLANTED = {
  github: `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`,
  stripe: `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`,
  awsSecret: `wJalrXUtnFEMI/K7MDENG/bPxRfiCY${'EXAMPLEKEY'}`,
  slack: `xoxb-${'123456789012'}-${'1234567890123'}-${'AbCdEfGhIjKlMnOpQrStUvWx'}`,
  pem: `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA${'x'.repeat(40)}\n-----END RSA PRIVATE KEY-----`,
};

it('no planted secret survives in any output: alerts, dead letters, terminal, state', () => {
  const dir = tempDir();
  const records: unknown[] = [
    ...normalWeek(5),
    cloudTrailRecord({
      time: '2026-03-09T10:00:00Z',
      ip: '3.64.1.10',
      action: 'secretsmanager:PutSecretValue',
      readOnly: false,
      requestParameters: { secretString: `token=${PLANTED.github}`, nested: [{ aws_secret_access_key: PLANTED.awsSecret }] },
      id: 'leaky-1',
    }),
    cloudTrailRecord({
      time: '2026-03-09T10:05:00Z',
      ip: '3.64.1.10',
      userAgent: `bot/1.0 (auth ${PLANTED.stripe})`,
      id: 'leaky-2',
    }),
    // Records that are dead-lettered still carry secrets: the dead letter must not.
    { eventName: 'Nothing', note: PLANTED.slack },
    { protoPayload: { methodName: 'x', request: { key: PLANTED.pem } } },
  ];
  const text = `${ndjson(records)}{"broken": "${PLANTED.github}\n`;
  writeFileSync(join(dir, 'trail.ndjson'), text);
  const r = keywatch(
    ['run', '-i', 'trail.ndjson', '--dead-letter', 'dead.ndjson', '--state', 'state.db', '--stats-json', 's.json'],
    {
      cwd: dir,
    },
  );
  expect(r.status).toBe(0);

  const alerts = readFileSync(join(dir, 'keywatch-alerts.ndjson'), 'utf8');
  expect(alerts).toContain('secret_in_logs');
  expect(readFileSync(join(dir, 'dead.ndjson'), 'utf8').split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(3);

  const outputs = [
    r.stdout,
    r.stderr,
    ...readdirSync(dir)
      .filter((f) => f !== 'trail.ndjson')
      .map((f) => readFileSync(join(dir, f), 'latin1')),
  ];
  for (const [name, value] of Object.entries(PLANTED)) {
    const probe = value.split('\n')[1] ?? value; // for the PEM block, its body line
    for (const out of outputs) expect(out.includes(probe), `${name} leaked`).toBe(false);
  }
});

it('fingerprints are keyed per installation: stable across runs on one state file, different on another, never a bare SHA-256', async () => {
  const { createHash } = await import('node:crypto');
  const password = 'Summer2024!';
  // A different key each run: the same key's repeat would join the first run's alert instead of opening one.
  const leak = (key: string) =>
    cloudTrailRecord(
      {
        time: '2026-03-09T10:00:00Z',
        ip: '3.64.1.10',
        action: 'iam:CreateLoginProfile',
        readOnly: false,
        requestParameters: { userName: 'bob', password },
        id: `leaky-${key}`,
      },
      key,
    );
  const fingerprintOf = (dir: string, state: string, key: string): string => {
    writeFileSync(join(dir, 'trail.ndjson'), ndjson([leak(key)]));
    const r = keywatch(['run', '-i', 'trail.ndjson', '--state', state, '--quiet', '--learn-events', '0', '--learn-days', '0'], {
      cwd: dir,
    });
    expect(r.status).toBe(0);
    const alert = readFileSync(join(dir, 'keywatch-alerts.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((a) => a.rule.id === 'secret_in_logs');
    return JSON.stringify(alert).match(/"fingerprints":"([0-9a-f]{12})"/)?.[1] ?? 'none';
  };
  const dir = tempDir();
  const first = fingerprintOf(dir, 'state.db', 'AKIAEXAMPLEKEY000011');
  expect(first).toMatch(/^[0-9a-f]{12}$/);
  expect(fingerprintOf(tempDir(), join(dir, 'state.db'), 'AKIAEXAMPLEKEY000012')).toBe(first);
  expect(fingerprintOf(tempDir(), 'elsewhere.db', 'AKIAEXAMPLEKEY000013')).not.toBe(first);
  expect(first).not.toBe(createHash('sha256').update(password).digest('hex').slice(0, 12));
});
