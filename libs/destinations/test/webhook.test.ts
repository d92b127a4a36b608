import { Secret } from '@keywatch/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleAlert } from '../../../test/fakes/sample-alert.ts';
import { type FakeWebhook, startFakeWebhook } from '../../../test/fakes/webhook-fake.ts';
import { signBody, verifySignature, WebhookDestination } from '../src/index.ts';

const SIGNING_SECRET = 'whsec-test-0123456789';
let hook: FakeWebhook;

beforeEach(async () => {
  hook = await startFakeWebhook(SIGNING_SECRET);
});

afterEach(async () => {
  await hook.close();
});

function create(secret = SIGNING_SECRET) {
  return new WebhookDestination({
    name: 'hook',
    url: new Secret(hook.hookUrl, 'test'),
    signingSecret: new Secret(secret, 'test'),
    timeoutMs: 500,
  });
}

describe('WebhookDestination', () => {
  it('POSTs the alert JSON with an HMAC-SHA256 signature the receiver verifies', async () => {
    const results = await create().send([sampleAlert({ id: 'kw-hook' })]);
    expect(results).toEqual([{ status: 'delivered' }]);
    expect(hook.received()).toEqual([sampleAlert({ id: 'kw-hook' })]);
    expect(hook.requests[0]?.headers['x-keywatch-alert-id']).toBe('kw-hook');
  });

  it('is rejected by the receiver when signed with another secret', async () => {
    const [result] = await create('wrong-secret').send([sampleAlert()]);
    expect(result).toEqual({ status: 'rejected', reason: 'webhook HTTP 401: bad signature' });
  });

  it('retries 503 with Retry-After, and resets', async () => {
    hook.fail({ kind: 'status', status: 503, body: 'busy', headers: { 'retry-after': '2' } }, { kind: 'reset' });
    const results = await create().send([sampleAlert({ id: 'a' }), sampleAlert({ id: 'b' })]);
    expect(results[0]).toEqual({ status: 'retry', reason: 'webhook HTTP 503: busy', retryAfterMs: 2000 });
    expect(results[1]?.status).toBe('retry');
  });
});

describe('signBody / verifySignature', () => {
  it('verifies only the exact body and secret', () => {
    const signature = signBody('{"a":1}', 's3cret');
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('{"a":1}', 's3cret', signature)).toBe(true);
    expect(verifySignature('{"a":2}', 's3cret', signature)).toBe(false);
    expect(verifySignature('{"a":1}', 'other', signature)).toBe(false);
    expect(verifySignature('{"a":1}', 's3cret', undefined)).toBe(false);
  });
});
