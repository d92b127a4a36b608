import type { DeliveryResult } from './types.ts';

/** A finished HTTP exchange, or the network failure that stopped it. */
export type HttpOutcome =
  | { kind: 'response'; status: number; body: string; retryAfterMs: number | undefined }
  | { kind: 'failed'; reason: string };

/**
 * The common classifier for webhook-style APIs: 2xx delivered; 429 and 408 retried (honouring Retry-After);
 * 5xx and network failures retried; any other 4xx rejected, because sending the same request again cannot help.
 */
export function classifyHttp(outcome: HttpOutcome, describe: (status: number, body: string) => string): DeliveryResult {
  if (outcome.kind === 'failed') return { status: 'retry', reason: outcome.reason };
  const { status, body, retryAfterMs } = outcome;
  if (status >= 200 && status < 300) return { status: 'delivered' };
  const reason = describe(status, body);
  if (status === 429 || status === 408 || status >= 500) {
    return retryAfterMs === undefined ? { status: 'retry', reason } : { status: 'retry', reason, retryAfterMs };
  }
  return { status: 'rejected', reason };
}

/** A short, single-line excerpt of a response body for error reasons. */
export function bodyExcerpt(body: string, max = 300): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
