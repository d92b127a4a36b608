import { Secret } from '@keywatch/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleAlert, sampleAlerts } from '../../../test/fakes/sample-alert.ts';
import { type FakeSlack, startFakeSlack } from '../../../test/fakes/slack-fake.ts';
import { SlackDestination } from '../src/index.ts';

let slack: FakeSlack;
let destination: SlackDestination;

beforeEach(async () => {
  slack = await startFakeSlack();
  destination = new SlackDestination({ name: 'slack', webhookUrl: new Secret(slack.webhookUrl, 'test'), timeoutMs: 500 });
});

afterEach(async () => {
  await destination.close();
  await slack.close();
});

describe('SlackDestination against a fake incoming webhook', () => {
  it('posts one Block Kit message per alert and reports delivered on 200 ok', async () => {
    const results = await destination.send(sampleAlerts(2, 'kw-slack'));
    expect(results).toEqual([{ status: 'delivered' }, { status: 'delivered' }]);
    expect(slack.accepted()).toHaveLength(2);
    expect(slack.accepted()[0]?.text).toMatch(/^keywatch HIGH: Key AKIAEXAMPLEKEY000001/);
  });

  it('retries a 429 after the Retry-After seconds and holds back the rest of the batch', async () => {
    slack.fail({ kind: 'status', status: 429, body: '{"ok":false,"error":"rate_limited"}', headers: { 'retry-after': '7' } });
    const results = await destination.send(sampleAlerts(3, 'kw-429'));
    expect(results[0]).toMatchObject({ status: 'retry', retryAfterMs: 7000 });
    expect(results[1]).toMatchObject({ status: 'retry', retryAfterMs: 7000 });
    expect(results[2]).toMatchObject({ status: 'retry', retryAfterMs: 7000 });
    expect(slack.requests).toHaveLength(1);
  });

  it('rejects 4xx answers with Slack’s error code and does not retry them', async () => {
    slack.fail(
      { kind: 'status', status: 404, body: 'channel_not_found' },
      { kind: 'status', status: 410, body: 'channel_is_archived' },
    );
    const results = await destination.send(sampleAlerts(2, 'kw-4xx'));
    expect(results).toEqual([
      { status: 'rejected', reason: 'Slack HTTP 404: channel_not_found' },
      { status: 'rejected', reason: 'Slack HTTP 410: channel_is_archived' },
    ]);
  });

  it('retries 5xx, slow answers (timeout) and connection resets', async () => {
    slack.fail({ kind: 'status', status: 500, body: 'rollup_error' }, { kind: 'slow', delayMs: 2000 }, { kind: 'reset' });
    const results = await destination.send(sampleAlerts(3, 'kw-5xx'));
    expect(results[0]).toEqual({ status: 'retry', reason: 'Slack HTTP 500: rollup_error' });
    expect(results[1]).toEqual({ status: 'retry', reason: 'timeout: no response within 500 ms' });
    expect(results[2]).toMatchObject({ status: 'retry', reason: expect.stringMatching(/connection reset|network error/) });
  });

  it('keeps huge messages within Slack’s limits so the fake accepts them', async () => {
    const results = await destination.send([sampleAlert({ message: 'x'.repeat(10_000), keyId: `K${'y'.repeat(300)}` })]);
    expect(results).toEqual([{ status: 'delivered' }]);
  });

  it('sends a digest of many alerts as one message', async () => {
    const result = await destination.sendDigest(sampleAlerts(120, 'kw-digest', { severity: 'low' }));
    expect(result).toEqual({ status: 'delivered' });
    expect(slack.accepted()).toHaveLength(1);
    expect(slack.accepted()[0]?.text).toMatch(/^keywatch digest: 120 low-severity alerts/);
  });

  it('reports a wrong webhook path as rejected without quoting the URL', async () => {
    const wrong = new SlackDestination({
      name: 'slack',
      webhookUrl: new Secret(`${slack.url}/services/nope`, 'test'),
      timeoutMs: 500,
    });
    const [result] = await wrong.send([sampleAlert()]);
    expect(result).toEqual({ status: 'rejected', reason: 'Slack HTTP 404: no_service' });
  });
});
