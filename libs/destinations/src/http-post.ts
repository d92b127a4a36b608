import type { HttpOutcome } from './http-result.ts';
import { parseRetryAfter } from './retry-after.ts';

export interface PostOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Wall clock for HTTP-date Retry-After values. */
  now?: () => number;
}

/**
 * POSTs a body with Node's fetch and reports the response or the network failure. Failure reasons never
 * contain the URL: for Slack and webhooks the URL is the secret.
 */
export async function postBody(url: string, body: string, options: PostOptions): Promise<HttpOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'manual',
    });
    const text = await response.text();
    const now = options.now ?? Date.now;
    return {
      kind: 'response',
      status: response.status,
      body: text,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now()),
    };
  } catch (err) {
    return { kind: 'failed', reason: describeNetworkError(err, options.timeoutMs) };
  }
}

/** A reason for a failed request built from error names and codes only, never from messages that may quote a URL. */
export function describeNetworkError(err: unknown, timeoutMs: number): string {
  const error = err as { name?: string; code?: string; cause?: { name?: string; code?: string } };
  if (error?.name === 'TimeoutError' || error?.cause?.name === 'TimeoutError')
    return `timeout: no response within ${timeoutMs} ms`;
  const code = error?.cause?.code ?? error?.code;
  switch (code) {
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `connection reset (${code})`;
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found (${code})`;
    default:
      return `network error (${code ?? error?.cause?.name ?? error?.name ?? 'unknown'})`;
  }
}
