import { createHmac } from 'node:crypto';
import { Secret } from '@keywatch/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleAlert } from '../../../test/fakes/sample-alert.ts';
import { type FakeWebhook, startFakeWebhook } from '../../../test/fakes/webhook-fake.ts';
import { signWebhook, verifyWebhook, WebhookDestination, webhookHeaders } from '../src/index.ts';

const SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let hook: FakeWebhook;

beforeEach(async () => {
  hook = await startFakeWebhook(SIGNING_SECRET);
});

afterEach(async () => {
  await hook.close();
});

function create(secret = SIGNING_SECRET, now?: () => number) {
  return new WebhookDestination({
    name: 'hook',
    url: new Secret(hook.hookUrl, 'test'),
    signingSecret: new Secret(secret, 'test'),
    timeoutMs: 500,
    ...(now ? { now } : {}),
  });
}

describe('WebhookDestination', () => {
  it('POSTs the alert JSON with Standard Webhooks headers the receiver verifies', async () => {
    const results = await create().send([sampleAlert({ id: 'kw-hook' })]);
    expect(results).toEqual([{ status: 'delivered' }]);
    expect(hook.received()).toEqual([sampleAlert({ id: 'kw-hook' })]);
    const headers = hook.requests[0]!.headers;
    expect(headers['webhook-id']).toBe('kw-hook');
    expect(Number(headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -1);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('gives a later version of an alert its own webhook-id, so receivers that drop repeats still take it', async () => {
    const first = sampleAlert({ id: 'kw-grow' });
    const update = { ...first, keywatch: { ...first.keywatch, alert: { ...first.keywatch.alert, count: 4 } } };
    await create().send([first, first, update]);
    expect(hook.requests.map((r) => r.headers['webhook-id'])).toEqual(['kw-grow', 'kw-grow', 'kw-grow-r4']);
    expect(hook.received()).toEqual([first, update]);
  });

  it('is refused by the receiver when signed with another secret or replayed after the tolerance', async () => {
    const [wrong] = await create('whsec_d3Jvbmctc2VjcmV0').send([sampleAlert()]);
    expect(wrong).toEqual({ status: 'rejected', reason: 'webhook HTTP 401: no matching signature' });
    const [old] = await create(SIGNING_SECRET, () => Date.now() - 3600_000).send([sampleAlert()]);
    expect(old).toEqual({ status: 'rejected', reason: 'webhook HTTP 401: webhook-timestamp outside the tolerance' });
  });

  it('retries 503 with Retry-After, and resets', async () => {
    hook.fail({ kind: 'status', status: 503, body: 'busy', headers: { 'retry-after': '2' } }, { kind: 'reset' });
    const results = await create().send([sampleAlert({ id: 'a' }), sampleAlert({ id: 'b' })]);
    expect(results[0]).toEqual({ status: 'retry', reason: 'webhook HTTP 503: busy', retryAfterMs: 2000 });
    expect(results[1]?.status).toBe('retry');
  });
});

describe('Standard Webhooks signature', () => {
  const now = Date.parse('2026-03-04T02:00:00Z');

  it('is v1,base64(HMAC-SHA256(key, id.timestamp.body)) with the whsec_ key base64-decoded', () => {
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    const expected = createHmac('sha256', key).update('msg_1.1772589600.{"a":1}').digest('base64');
    expect(signWebhook('msg_1', 1772589600, '{"a":1}', SIGNING_SECRET)).toBe(`v1,${expected}`);
    const plain = createHmac('sha256', 'plain-secret').update('msg_1.1772589600.{"a":1}').digest('base64');
    expect(signWebhook('msg_1', 1772589600, '{"a":1}', 'plain-secret')).toBe(`v1,${plain}`);
  });

  it('verifies only the exact id, timestamp, body and secret, within the tolerance', () => {
    const headers = webhookHeaders('msg_1', '{"a":1}', SIGNING_SECRET, now);
    expect(verifyWebhook(headers, '{"a":1}', SIGNING_SECRET, { now })).toEqual({ ok: true, id: 'msg_1' });
    expect(verifyWebhook(headers, '{"a":2}', SIGNING_SECRET, { now }).ok).toBe(false);
    expect(verifyWebhook({ ...headers, 'webhook-id': 'msg_2' }, '{"a":1}', SIGNING_SECRET, { now }).ok).toBe(false);
    expect(verifyWebhook(headers, '{"a":1}', 'whsec_b3RoZXI=', { now }).ok).toBe(false);
    expect(verifyWebhook(headers, '{"a":1}', SIGNING_SECRET, { now: now + 301_000 })).toEqual({
      ok: false,
      reason: 'webhook-timestamp outside the tolerance',
    });
    expect(verifyWebhook({}, '{"a":1}', SIGNING_SECRET, { now }).ok).toBe(false);
  });

  it('accepts any one of several space-separated signatures (secret rotation)', () => {
    const headers = webhookHeaders('msg_1', '{}', SIGNING_SECRET, now);
    const rotated = { ...headers, 'webhook-signature': `v1,AAAA ${headers['webhook-signature']}` };
    expect(verifyWebhook(rotated, '{}', SIGNING_SECRET, { now }).ok).toBe(true);
  });
});
