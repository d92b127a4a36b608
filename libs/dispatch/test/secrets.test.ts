// Plants secrets (webhook URLs, routing key, signing secret, Elasticsearch API key), runs deliveries that fail in
// every way the destinations know, and searches everything keywatch produced for them: logs, stdout/stderr, dead
// letters, stats, errors, the queue file, and the objects themselves as util.inspect shows them.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeElasticsearch } from '../../../test/fakes/elasticsearch-fake.ts';
import { startFakeHttp } from '../../../test/fakes/http-fake.ts';
import { startFakePagerDuty } from '../../../test/fakes/pagerduty-fake.ts';
import { sampleAlerts } from '../../../test/fakes/sample-alert.ts';
import { startFakeSlack } from '../../../test/fakes/slack-fake.ts';
import { startFakeWebhook } from '../../../test/fakes/webhook-fake.ts';
import { createDispatcherFromConfig, stderrLogger } from '../src/index.ts';

const SECRETS = {
  slackPath: 'xoxSLACKsecret0a1b2c3d4e5f',
  routingKey: 'PDsecretROUTINGkey0123456789abcd',
  hookToken: 'HOOKsecretTOKENq1w2e3',
  signing: 'SIGNINGsecretz9y8x7',
  esApiKey: 'RVNzZWNyZXRBUElrZXk6c2VjcmV0',
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('secrets never leak', () => {
  it('appear in no log, output, dead letter, stat, error or queue row while deliveries fail', async () => {
    const slack = await startFakeSlack(`/services/T000/B000/${SECRETS.slackPath}`);
    const pagerduty = await startFakePagerDuty();
    const hook = await startFakeWebhook(SECRETS.signing);
    const elasticsearch = await startFakeElasticsearch({ rejectAuth: true });
    cleanups.push(
      () => slack.close(),
      () => pagerduty.close(),
      () => hook.close(),
      () => elasticsearch.close(),
    );
    slack.fail(
      { kind: 'status', status: 500, body: 'rollup_error' },
      { kind: 'status', status: 429, body: '{"ok":false}', headers: { 'retry-after': '0' } },
      { kind: 'reset' },
      { kind: 'slow', delayMs: 5000 },
    );
    pagerduty.fail({ kind: 'status', status: 503, body: 'down' }, { kind: 'reset' }, { kind: 'status', status: 429, body: '{}' });
    hook.fail({ kind: 'status', status: 502, body: 'bad gateway' }, { kind: 'reset' });

    const output: string[] = [];
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const writes = captureProcessOutput(output);
    const dir = mkdtempSync(join(tmpdir(), 'kw-secrets-'));
    const errors: unknown[] = [];
    try {
      const runtime = createDispatcherFromConfig(
        {
          destinations: {
            siem: { kind: 'elasticsearch', url: elasticsearch.url, apiKey: 'env:KW_ES_API_KEY', timeoutMs: 2000 },
            slack: { kind: 'slack', webhookUrl: 'env:KW_SLACK_WEBHOOK_URL', timeoutMs: 1500 },
            oncall: {
              kind: 'pagerduty',
              routingKey: 'env:KW_PD_ROUTING_KEY',
              url: pagerduty.enqueueUrl,
              timeoutMs: 1500,
              throttleWaitMs: 0,
            },
            hook: { kind: 'webhook', url: 'env:KW_HOOK_URL', signingSecret: 'env:KW_HOOK_SIGNING_SECRET', timeoutMs: 1500 },
            'hook-wrong-path': { kind: 'webhook', url: 'env:KW_HOOK_URL_BAD', signingSecret: 'env:KW_HOOK_SIGNING_SECRET' },
          },
          rateLimits: { slack: { perSecond: 1000, burst: 1000 } },
          retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 },
        },
        {
          queuePath: join(dir, 'queue.db'),
          env: {
            KW_ES_API_KEY: SECRETS.esApiKey,
            KW_SLACK_WEBHOOK_URL: slack.webhookUrl,
            KW_PD_ROUTING_KEY: SECRETS.routingKey,
            KW_HOOK_URL: `${hook.hookUrl}`,
            KW_HOOK_URL_BAD: `${hook.url}/other?token=${SECRETS.hookToken}`,
            KW_HOOK_SIGNING_SECRET: SECRETS.signing,
          },
          logger: stderrLogger(logStream),
        },
      );
      await runtime.dispatcher.submit(sampleAlerts(4, 'kw-leak'));
      // Elasticsearch refuses the key forever: its alerts wait (not ready) while the others run out of attempts.
      await runtime.dispatcher.drain(6000);
      output.push(
        JSON.stringify(runtime.dispatcher.stats()),
        inspect(runtime, { depth: 8 }),
        inspect(runtime.destinations, { depth: 8 }),
      );
      await runtime.close();
      output.push(readFileSync(join(dir, 'queue.db.dead-letters.ndjson'), 'utf8'));
      output.push(readFileSync(join(dir, 'queue.db')).toString('latin1'));
    } catch (err) {
      errors.push(err);
    } finally {
      writes.restore();
    }
    for (const err of errors) output.push(String(err), inspect(err, { depth: 8 }));

    // The failures really happened and were recorded…
    const text = output.join('\n');
    expect(text).toContain('Slack HTTP 500: rollup_error');
    expect(text).toContain('PagerDuty HTTP 503');
    expect(text).toContain('webhook HTTP 404');
    expect(text).toContain('Elasticsearch request failed with HTTP 401');
    expect(text).toContain('destination not ready; its alerts wait in the queue');
    expect(errors).toEqual([]);
    // …and no secret is in any of it.
    for (const [name, secret] of Object.entries(SECRETS)) expect(text.includes(secret), `${name} leaked`).toBe(false);
    // The secrets did reach the services that need them.
    expect(elasticsearch.requests[0]?.headers.authorization).toBe(`ApiKey ${SECRETS.esApiKey}`);
    expect(pagerduty.events().some((e) => e.routing_key === SECRETS.routingKey)).toBe(true);
    expect(slack.accepted().length).toBeGreaterThan(0);
  }, 20_000);

  it('are cut out of error bodies that echo the request back, in logs, dead letters and the queue', async () => {
    // Services that quote what they were sent: PagerDuty's 400 quotes the event (routing key included), a
    // proxy in front of Slack quotes the path, a webhook receiver quotes URL and headers.
    const echo = await startFakeHttp((request) => ({
      status: 400,
      body: JSON.stringify({
        message: 'Event object is invalid',
        errors: [request.body, request.path, JSON.stringify(request.headers)],
      }),
    }));
    cleanups.push(() => echo.close());
    const dir = mkdtempSync(join(tmpdir(), 'kw-echo-'));
    const log: string[] = [];
    const logStream = new PassThrough();
    logStream.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    const runtime = createDispatcherFromConfig(
      {
        destinations: {
          oncall: { kind: 'pagerduty', routingKey: 'env:PD', url: `${echo.url}/v2/enqueue` },
          slack: { kind: 'slack', webhookUrl: 'env:SLACK' },
          hook: { kind: 'webhook', url: 'env:HOOK', signingSecret: 'env:SIGNING' },
        },
      },
      {
        queuePath: join(dir, 'queue.db'),
        env: {
          PD: SECRETS.routingKey,
          SLACK: `${echo.url}/services/T000/B000/${SECRETS.slackPath}`,
          HOOK: `${echo.url}/hook?token=${SECRETS.hookToken}`,
          SIGNING: SECRETS.signing,
        },
        logger: stderrLogger(logStream),
      },
    );
    await runtime.dispatcher.submit(sampleAlerts(2, 'kw-echo'));
    await runtime.dispatcher.drain(3000);
    await runtime.close();
    const deadLetters = readFileSync(join(dir, 'queue.db.dead-letters.ndjson'), 'utf8');
    const text = [log.join(''), deadLetters, readFileSync(join(dir, 'queue.db')).toString('latin1')].join('\n');
    expect(echo.requests.length).toBe(6);
    expect(deadLetters.trim().split('\n')).toHaveLength(6);
    expect(deadLetters).toContain('[REDACTED:configured-secret]');
    expect(log.join('')).toContain('PagerDuty HTTP 400: Event object is invalid');
    for (const [name, secret] of Object.entries(SECRETS)) {
      if (name === 'esApiKey') continue;
      expect(text.includes(secret), `${name} leaked`).toBe(false);
    }
  });
});

/** Collects everything written to process.stdout and process.stderr while the test runs. */
function captureProcessOutput(into: string[]) {
  const original = { out: process.stdout.write, err: process.stderr.write };
  const capture = (stream: NodeJS.WriteStream, write: typeof process.stdout.write) =>
    ((chunk: unknown, ...rest: unknown[]) => {
      into.push(String(chunk));
      return (write as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = capture(process.stdout, original.out);
  process.stderr.write = capture(process.stderr, original.err);
  return {
    restore() {
      process.stdout.write = original.out;
      process.stderr.write = original.err;
    },
  };
}
