import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (standardwebhooks.com): the signature covers `<id>.<timestamp>.<body>`, so a captured
 * request cannot be replayed later (the timestamp is checked against a tolerance) nor twice (the id is
 * remembered by the receiver), and the body cannot be moved under another id.
 */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** How far a receiver accepts `webhook-timestamp` from its own clock, in either direction (the scheme's default). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * The HMAC key: a `whsec_<base64>` secret (the format Standard Webhooks libraries generate) is used as its
 * decoded bytes, any other secret as its UTF-8 bytes.
 */
export function signingKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`. */
export function signWebhook(id: string, timestampSeconds: number, body: string, secret: string): string {
  const mac = createHmac('sha256', signingKey(secret)).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

/** The three headers for one message; `now` in epoch milliseconds. */
export function webhookHeaders(id: string, body: string, secret: string, now: number): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    [WEBHOOK_HEADERS.id]: id,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: signWebhook(id, timestamp, body, secret),
  };
}

export type WebhookVerdict = { ok: true; id: string } | { ok: false; reason: string };

/**
 * For receivers: checks the headers of one request against the exact body bytes, in constant time. A
 * signature header may list several space-separated `v1,…` values (secret rotation); one match suffices.
 * The receiver must still remember accepted ids for the tolerance window to refuse a second delivery.
 */
export function verifyWebhook(
  headers: Record<string, string | string[] | undefined>,
  body: string,
  secret: string,
  options: { now?: number; toleranceSeconds?: number } = {},
): WebhookVerdict {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = header(WEBHOOK_HEADERS.id);
  const timestamp = header(WEBHOOK_HEADERS.timestamp);
  const signatures = header(WEBHOOK_HEADERS.signature);
  if (!id || !timestamp || !signatures)
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp is not a number of seconds' };
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - Number(timestamp)) > tolerance) return { ok: false, reason: 'webhook-timestamp outside the tolerance' };
  const expected = Buffer.from(signWebhook(id, Number(timestamp), body, secret));
  const matches = signatures.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, id } : { ok: false, reason: 'no matching signature' };
}
