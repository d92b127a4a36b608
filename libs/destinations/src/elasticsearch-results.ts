import { errors } from '@elastic/elasticsearch';
import type { DeliveryResult } from './types.ts';

interface BulkItem {
  status: number;
  error?: { type?: string; reason?: string | null; caused_by?: { type?: string; reason?: string | null } } | undefined;
}

/**
 * One bulk `create` item: 200/201 delivered; 409 already there (idempotent re-delivery); 429 and 5xx retried;
 * any other status (mapping or parsing errors) rejected with Elasticsearch's reason, so it cannot block the queue.
 */
export function classifyBulkItem(item: BulkItem | undefined): DeliveryResult {
  if (!item) return { status: 'retry', reason: 'Elasticsearch returned no result for this item' };
  const { status } = item;
  if (status === 200 || status === 201) return { status: 'delivered' };
  if (status === 409) return { status: 'duplicate' };
  const reason = `Elasticsearch ${status} ${errorText(item.error)}`;
  if (status === 429 || status >= 500) return { status: 'retry', reason };
  return { status: 'rejected', reason };
}

function errorText(error: BulkItem['error']): string {
  if (!error) return 'without error details';
  const cause = error.caused_by ? ` (caused by ${error.caused_by.type}: ${error.caused_by.reason ?? ''})` : '';
  return `${error.type ?? 'error'}: ${error.reason ?? ''}${cause}`;
}

/**
 * A failed request as a whole. 429, 5xx and network failures are retried; so are 401/403, because a revoked or
 * rotated API key is fixed by the operator and the alerts must wait for that rather than be thrown away.
 * Reasons come from the status and error type only: the client's error objects carry request headers.
 */
export function classifyRequestError(err: unknown): DeliveryResult {
  if (err instanceof errors.ResponseError) {
    const status = err.statusCode ?? 0;
    const body = err.body as { error?: { type?: string; reason?: string } | string } | undefined;
    const detail =
      typeof body?.error === 'object' ? `${body.error.type ?? 'error'}: ${body.error.reason ?? ''}` : 'no error body';
    const reason = `Elasticsearch request failed with HTTP ${status}: ${detail}`;
    if (status === 429 || status >= 500 || status === 401 || status === 403 || status === 408) return { status: 'retry', reason };
    return { status: 'rejected', reason };
  }
  if (err instanceof errors.TimeoutError) return { status: 'retry', reason: 'Elasticsearch request timed out' };
  if (err instanceof errors.ConnectionError || err instanceof errors.NoLivingConnectionsError) {
    return { status: 'retry', reason: `cannot reach Elasticsearch (${err.name})` };
  }
  if (err instanceof errors.ProductNotSupportedError) {
    return { status: 'retry', reason: 'the server at the configured URL is not Elasticsearch' };
  }
  return { status: 'retry', reason: `Elasticsearch client error (${(err as Error)?.name ?? 'unknown'})` };
}
