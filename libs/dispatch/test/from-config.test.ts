import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, readConfigFile, SecretError, validateConfig } from '@keywatch/config';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeElasticsearch } from '../../../test/fakes/elasticsearch-fake.ts';
import { startFakePagerDuty } from '../../../test/fakes/pagerduty-fake.ts';
import { sampleAlert, sampleAlerts } from '../../../test/fakes/sample-alert.ts';
import { startFakeSlack } from '../../../test/fakes/slack-fake.ts';
import { createDispatcherFromConfig, type DeliveryRuntime, deliveryConfigSchema, silentLogger } from '../src/index.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'kw-from-config-'));
const runtimes: DeliveryRuntime[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const runtime of runtimes.splice(0)) await runtime.close();
});

function configProblems(section: unknown): string[] {
  try {
    createDispatcherFromConfig(section, { queuePath: join(tempDir(), 'q.db'), env: {} });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('createDispatcherFromConfig: validation', () => {
  it('names the bad path for each problem, and never echoes a literal secret', () => {
    const literal = 'https://hooks.slack.com/services/T000/B000/LITERALSECRET';
    const problems = configProblems({
      destinations: {
        siem: { kind: 'elasticsearch', url: 'http://elastic:changeme@es:9200', namespace: 'prod-eu' },
        slack: { kind: 'slack', webhookUrl: literal },
      },
      routes: [{ to: ['pagerduty'] }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^destinations\.siem\.url: must not contain credentials/),
        expect.stringMatching(/^destinations\.siem\.namespace: .*no "-"/),
        expect.stringMatching(/^destinations\.slack\.webhookUrl: /),
      ]),
    );
    expect(problems.join('\n')).not.toContain('LITERALSECRET');
    expect(problems.join('\n')).not.toContain('changeme');
  });

  it('checks that routes, rate limits and digests name existing destinations', () => {
    expect(
      configProblems({
        destinations: { archive: { kind: 'file', path: '/tmp/x.ndjson' } },
        routes: [{ match: { minSeverity: 'high' }, to: ['pagerduty'] }],
        rateLimits: { slack: { perSecond: 1 } },
        digest: { destinations: ['archive'] },
      }),
    ).toEqual([
      'routes[0].to[0]: unknown destination "pagerduty"',
      'rateLimits.slack: unknown destination "slack"',
      'digest.destinations[0]: destination "archive" cannot send digests (kinds that can: slack)',
    ]);
  });

  it('refuses a PagerDuty link template with an unknown placeholder before reading any secret', () => {
    expect(
      configProblems({
        destinations: {
          oncall: { kind: 'pagerduty', routingKey: 'env:PD', links: [{ href: 'https://kibana.example.com/{alertid}' }] },
        },
      }),
    ).toEqual([
      expect.stringMatching(/^destinations\.oncall\.links\[0\]\.href: unknown placeholder \{alertid\}; known: \{alert_id\}/),
    ]);
  });

  it('fails at start-up naming the missing environment variable', () => {
    expect(() =>
      createDispatcherFromConfig(
        { destinations: { oncall: { kind: 'pagerduty', routingKey: 'env:KW_PD_ROUTING_KEY' } } },
        { queuePath: join(tempDir(), 'q.db'), env: {} },
      ),
    ).toThrow(new SecretError('environment variable KW_PD_ROUTING_KEY is not set'));
  });
});

describe('createDispatcherFromConfig: delivery', () => {
  it('routes and delivers to real HTTP fakes, and a hanging Slack never holds up the others', async () => {
    const slack = await startFakeSlack();
    const pagerduty = await startFakePagerDuty();
    cleanups.push(
      () => slack.close(),
      () => pagerduty.close(),
    );
    for (let i = 0; i < 20; i++) slack.fail({ kind: 'slow', delayMs: 60_000 });
    const dir = tempDir();
    const archive = join(dir, 'alerts.ndjson');
    const runtime = createDispatcherFromConfig(
      {
        destinations: {
          archive: { kind: 'file', path: archive },
          oncall: { kind: 'pagerduty', routingKey: 'env:PD_KEY', url: pagerduty.enqueueUrl },
          'slack-reports': { kind: 'slack', webhookUrl: 'env:SLACK_URL', timeoutMs: 30_000 },
        },
        routes: [
          { match: { minSeverity: 'high' }, to: ['oncall'] },
          { match: { owner: ['report-bot'] }, to: ['slack-reports'] },
          { to: ['archive'] },
        ],
        retry: { pollIntervalMs: 20 },
      },
      {
        queuePath: join(dir, 'queue.db'),
        env: { PD_KEY: '0123456789abcdef0123456789abcdef', SLACK_URL: slack.webhookUrl },
        logger: silentLogger,
      },
    );
    runtimes.push(runtime);
    runtime.dispatcher.start();
    await runtime.dispatcher.submit([
      ...sampleAlerts(3, 'hi', { severity: 'critical' }),
      ...sampleAlerts(2, 'lo', { severity: 'low' }),
    ]);

    await expect.poll(() => runtime.dispatcher.stats().archive?.delivered, { timeout: 10_000 }).toBe(5);
    await expect.poll(() => runtime.dispatcher.stats().oncall?.delivered, { timeout: 10_000 }).toBe(3);
    expect(runtime.dispatcher.stats()['slack-reports']?.delivered).toBe(0);
    expect(slack.requests.length).toBeGreaterThan(0); // Slack was tried: it is hanging, not skipped
    expect(readFileSync(archive, 'utf8').trim().split('\n')).toHaveLength(5);
    expect(
      pagerduty
        .events()
        .map((e) => e.dedup_key)
        .sort(),
    ).toEqual(['hi-0000', 'hi-0001', 'hi-0002']);
    await slack.close(); // ends the hanging request, so stop() does not wait for its timeout
  });

  it('writes dead letters next to the queue by default', async () => {
    const pagerduty = await startFakePagerDuty();
    cleanups.push(() => pagerduty.close());
    const dir = tempDir();
    const runtime = createDispatcherFromConfig(
      { destinations: { oncall: { kind: 'pagerduty', routingKey: 'env:PD_KEY', url: pagerduty.enqueueUrl } } },
      { queuePath: join(dir, 'queue.db'), env: { PD_KEY: 'short' }, logger: silentLogger },
    );
    runtimes.push(runtime);
    await runtime.dispatcher.submit([sampleAlert({ id: 'kw-dead' })]);
    await runtime.dispatcher.drain(2000);
    const [line] = readFileSync(join(dir, 'queue.db.dead-letters.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(line).toMatchObject({
      destination: 'oncall',
      id: 'kw-dead:oncall',
      reason: "PagerDuty HTTP 400: Event object is invalid: 'routing_key' must be a 32 character string",
      alert: { event: { id: 'kw-dead' } },
    });
  });
});

describe('createDispatcherFromConfig: destinations that cannot start', () => {
  it('retries the Elasticsearch template in the background while the file delivers; no attempt is spent waiting', async () => {
    const elasticsearch = await startFakeElasticsearch();
    cleanups.push(() => elasticsearch.close());
    const unavailable = { kind: 'status' as const, status: 503, body: '{"error":{"type":"unavailable","reason":"starting"}}' };
    elasticsearch.fail(unavailable, unavailable, unavailable);
    const dir = tempDir();
    const archive = join(dir, 'alerts.ndjson');
    const runtime = createDispatcherFromConfig(
      {
        destinations: { siem: { kind: 'elasticsearch', url: elasticsearch.url }, archive: { kind: 'file', path: archive } },
        retry: { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 2, pollIntervalMs: 20 },
      },
      { queuePath: join(dir, 'q.db'), env: {}, logger: silentLogger },
    );
    runtimes.push(runtime);
    runtime.dispatcher.start();
    await runtime.dispatcher.submit(sampleAlerts(3, 'wait'));
    await expect.poll(() => runtime.dispatcher.stats().archive?.delivered, { timeout: 5000 }).toBe(3);
    expect(runtime.notReady()).toEqual(['siem']);
    expect(elasticsearch.documents().size).toBe(0);
    await expect.poll(() => runtime.dispatcher.stats().siem?.delivered, { timeout: 10_000 }).toBe(3);
    // maxAttempts is 2 and the template failed 3 times: the alerts waited instead of burning attempts.
    expect(runtime.dispatcher.stats().siem).toEqual({ delivered: 3, duplicate: 0, retried: 0, deadLettered: 0 });
    expect(runtime.notReady()).toEqual([]);
    expect([...elasticsearch.templates().keys()]).toEqual(['keywatch-alerts']);
  });

  it('fails at start naming the field when a URL read from a secret can never work, without quoting it', () => {
    const build = (value: string) => () =>
      createDispatcherFromConfig(
        { destinations: { alerts: { kind: 'slack', webhookUrl: 'env:SLACK_URL' } } },
        { queuePath: join(tempDir(), 'q.db'), env: { SLACK_URL: value }, logger: silentLogger },
      );
    expect(build('hooks.slack.com/services/T0/B0/notAurl')).toThrow(
      'destinations.alerts.webhookUrl: the value of env SLACK_URL is not a valid URL',
    );
    expect(build('ftp://hooks.example/x')).toThrow(
      'destinations.alerts.webhookUrl: the value of env SLACK_URL must be an http(s) URL, not ftp:',
    );
    let message = '';
    try {
      build('hooks.slack.com/services/T0/B0/notAurl')();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toContain('notAurl');
  });
});

describe('docs/delivery.md', () => {
  it('shows a configuration example that validates', () => {
    const markdown = readFileSync(new URL('../../../docs/delivery.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(markdown)?.[1];
    expect(example).toBeDefined();
    const path = join(tempDir(), 'delivery.yaml');
    writeFileSync(path, example!);
    const config = validateConfig(deliveryConfigSchema, readConfigFile(path), 'docs/delivery.md');
    expect(Object.keys(config.destinations)).toEqual([
      'siem',
      'oncall',
      'slack-payments',
      'slack-security',
      'soar',
      'archive',
      'console',
    ]);
    const names = new Set(Object.keys(config.destinations));
    expect(config.routes?.flatMap((route) => route.to).filter((name) => !names.has(name))).toEqual([]);
  });
});
