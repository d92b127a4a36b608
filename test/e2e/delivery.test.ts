import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeHttp } from '../fakes/http-fake.ts';
import { startFakePagerDuty } from '../fakes/pagerduty-fake.ts';
import { startFakeSlack } from '../fakes/slack-fake.ts';
import { keywatchAsync, tempDir } from './cli.ts';
import { mondayAttack, ndjson, normalWeek } from './trail.ts';

const attack = mondayAttack();

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

describe('keywatch run --delivery', () => {
  it('routes alerts to Slack and PagerDuty, retries a 429, and never prints the secrets', async () => {
    const slack = await startFakeSlack();
    const pagerduty = await startFakePagerDuty();
    closers.push(
      () => slack.close(),
      () => pagerduty.close(),
    );
    // Slack first answers 429 with Retry-After: the alert waits and is delivered on the retry.
    slack.fail({ kind: 'status', status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } });
    const routingKey = `${'0123456789abcdef'.repeat(2)}`;
    const dir = tempDir();
    writeFileSync(join(dir, 'trail.ndjson'), ndjson([...normalWeek(5), ...attack]));
    writeFileSync(
      join(dir, 'delivery.yaml'),
      `destinations:
  team-slack: { kind: slack, webhookUrl: env:KW_TEST_SLACK_URL }
  oncall: { kind: pagerduty, routingKey: env:KW_TEST_PD_KEY, url: ${pagerduty.enqueueUrl} }
  archive: { kind: file, path: ${join(dir, 'delivered.ndjson')} }
routes:
  - match: {}
    to: [team-slack, archive]
  - match: { detector: [write_on_read_only] }
    to: [oncall]
retry: { baseDelayMs: 100, maxDelayMs: 2000, maxAttempts: 5 }
`,
    );
    const r = await keywatchAsync(['run', '-i', 'trail.ndjson', '--delivery', 'delivery.yaml', '--queue', 'queue.db'], {
      cwd: dir,
      env: { KW_TEST_SLACK_URL: slack.webhookUrl, KW_TEST_PD_KEY: routingKey },
    });
    expect(r.status).toBe(0);
    expect(
      slack
        .accepted()
        .map((m) => m.text)
        .join('\n'),
    ).toMatch(/a country it has never used/);
    expect(slack.accepted()).toHaveLength(2);
    expect(slack.requests.length).toBe(3); // one 429, then both delivered
    expect(pagerduty.events().map((e) => e.payload.summary)).toEqual([expect.stringContaining('s3:DeleteBucket')]);
    expect(readFileSync(join(dir, 'delivered.ndjson'), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    expect(r.stderr).toMatch(/delivery: .*team-slack 2 delivered/);
    const secretPath = new URL(slack.webhookUrl).pathname;
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(routingKey);
      expect(out).not.toContain(secretPath);
    }
  });

  it('keeps what it could not deliver queued, and delivers it on the next run', async () => {
    const down = await startFakeHttp(() => ({ status: 503, body: 'unavailable' }));
    const pagerduty = await startFakePagerDuty();
    closers.push(
      () => down.close(),
      () => pagerduty.close(),
    );
    const dir = tempDir();
    writeFileSync(join(dir, 'trail.ndjson'), ndjson([...normalWeek(5), ...attack]));
    writeFileSync(join(dir, 'empty.ndjson'), '');
    const config = (url: string) =>
      `destinations:
  oncall: { kind: pagerduty, routingKey: env:KW_TEST_PD_KEY, url: ${url} }
routes:
  - match: {}
    to: [oncall]
retry: { baseDelayMs: 100, maxDelayMs: 200, maxAttempts: 1000 }
`;
    const env = { KW_TEST_PD_KEY: '0123456789abcdef0123456789abcdef' };
    writeFileSync(join(dir, 'delivery.yaml'), config(`${down.url}/v2/enqueue`));
    const first = await keywatchAsync(['run', '-i', 'trail.ndjson', '--delivery', 'delivery.yaml', '--drain-seconds', '1'], {
      cwd: dir,
      env,
    });
    expect(first.status).toBe(0);
    expect(down.requests.length).toBeGreaterThan(0);
    expect(first.stderr).toMatch(/2 still queued in .*delivery\.db, delivered on the next run/);

    // PagerDuty is back (here: at another address); the next run delivers the queued alerts, each once.
    writeFileSync(join(dir, 'delivery.yaml'), config(pagerduty.enqueueUrl));
    const second = await keywatchAsync(['run', '-i', 'empty.ndjson', '--delivery', 'delivery.yaml'], { cwd: dir, env });
    expect(second.status).toBe(0);
    expect(pagerduty.events()).toHaveLength(2);
    expect(new Set(pagerduty.events().map((e) => e.dedup_key)).size).toBe(2);
  });

  it('goes on when Elasticsearch is down at start: the file delivers, its alerts wait, --alerts-out is kept until there is new content', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'trail.ndjson'), ndjson([...normalWeek(5), ...attack]));
    writeFileSync(join(dir, 'alerts.ndjson'), '{"previous":"run"}\n');
    writeFileSync(
      join(dir, 'delivery.yaml'),
      `destinations:
  siem: { kind: elasticsearch, url: "http://127.0.0.1:1", timeoutMs: 500 }
  archive: { kind: file, path: ${join(dir, 'delivered.ndjson')} }
retry: { baseDelayMs: 100, maxDelayMs: 500, maxAttempts: 2 }
`,
    );
    // A configuration that can never work fails at start naming the field, and leaves the previous alerts alone.
    writeFileSync(join(dir, 'bad.yaml'), 'destinations:\n  team: { kind: slack, webhookUrl: env:KW_TEST_BAD_URL }\n');
    const failed = await keywatchAsync(
      ['run', '-i', 'trail.ndjson', '--alerts-out', 'alerts.ndjson', '--delivery', 'bad.yaml', '--queue', 'bad.db'],
      { cwd: dir, env: { KW_TEST_BAD_URL: 'hooks.slack.com/services/T0/B0/secretpart' } },
    );
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('destinations.team.webhookUrl: the value of env KW_TEST_BAD_URL is not a valid URL');
    expect(failed.stderr).not.toContain('secretpart');
    expect(readFileSync(join(dir, 'alerts.ndjson'), 'utf8')).toBe('{"previous":"run"}\n');

    const r = await keywatchAsync(
      [
        'run',
        '-i',
        'trail.ndjson',
        '--alerts-out',
        'alerts.ndjson',
        '--delivery',
        'delivery.yaml',
        '--queue',
        'queue.db',
        '--drain-seconds',
        '2',
      ],
      { cwd: dir },
    );
    expect(r.status).toBe(0);
    const delivered = readFileSync(join(dir, 'delivered.ndjson'), 'utf8').split('\n').filter(Boolean);
    expect(delivered.length).toBeGreaterThan(0);
    const written = readFileSync(join(dir, 'alerts.ndjson'), 'utf8').split('\n').filter(Boolean);
    expect(written).toHaveLength(delivered.length);
    expect(written[0]).not.toContain('previous');
    expect(r.stderr).toMatch(/siem \(not ready[^)]*\) 0 delivered/);
    expect(r.stderr).toMatch(new RegExp(`${delivered.length} still queued`));
  });

  it('--drain-seconds waits for a retry that falls due before the deadline, and leaves when the queue is empty', async () => {
    const pagerduty = await startFakePagerDuty();
    closers.push(() => pagerduty.close());
    pagerduty.fail({ kind: 'status', status: 500, body: 'internal' });
    const dir = tempDir();
    writeFileSync(join(dir, 'trail.ndjson'), ndjson([...normalWeek(5), ...attack]));
    writeFileSync(
      join(dir, 'delivery.yaml'),
      `destinations:
  oncall: { kind: pagerduty, routingKey: env:KW_TEST_PD_KEY, url: ${pagerduty.enqueueUrl} }
routes:
  - match: { detector: [write_on_read_only] }
    to: [oncall]
retry: { baseDelayMs: 1500, maxDelayMs: 3000, maxAttempts: 5 }
`,
    );
    const started = Date.now();
    const r = await keywatchAsync(
      ['run', '-i', 'trail.ndjson', '--delivery', 'delivery.yaml', '--queue', 'queue.db', '--drain-seconds', '60'],
      {
        cwd: dir,
        env: { KW_TEST_PD_KEY: '0123456789abcdef'.repeat(2) },
      },
    );
    expect(r.status).toBe(0);
    expect(pagerduty.requests).toHaveLength(2); // the 500, then the retry 0.75-1.5 s later
    expect(pagerduty.events()).toHaveLength(1);
    expect(r.stderr).toMatch(/oncall 1 delivered, 1 retries/);
    expect(r.stderr).not.toMatch(/still queued/);
    expect(Date.now() - started).toBeLessThan(50_000); // it left once the queue was empty, not at the deadline
  });
});
