import { type Client, errors } from '@elastic/elasticsearch';
import { alertRevision, type EcsAlert } from '@keywatch/alerts';
import { classifyBulkItem, classifyRequestError } from './elasticsearch-results.ts';
import type { DeliveryResult } from './types.ts';

interface Found {
  index: string;
  seqNo: number;
  primaryTerm: number;
  revision: number;
}

/**
 * Later versions of alerts (higher `keywatch.alert.count`) replace the indexed document only when they are
 * newer. A data stream takes `create` only and refuses external versions, so the newer-wins rule is
 * compare-and-swap: read the document where it lives (a realtime multi-get over the stream's backing
 * indices, so a rollover does not hide it), skip it when its revision is not lower, else `index` it into that
 * backing index with `if_seq_no`/`if_primary_term`. A concurrent change answers 409 and the update is retried,
 * which reads again. An update whose first version is not there yet (still queued, dead-lettered) is created;
 * the first version then finds it and counts as a duplicate.
 */
export async function indexUpdates(
  client: Client,
  target: string,
  alerts: EcsAlert[],
  document: (alert: EcsAlert) => Record<string, unknown>,
  refresh: boolean,
): Promise<DeliveryResult[]> {
  let found: (Found | null)[];
  try {
    found = await currentVersions(client, target, alerts);
  } catch (err) {
    const result = classifyRequestError(err);
    return alerts.map(() => result);
  }
  const results: (DeliveryResult | null)[] = alerts.map((alert, i) => {
    const current = found[i];
    return current && current.revision >= alertRevision(alert) ? { status: 'duplicate' } : null;
  });
  const pending = alerts.flatMap((alert, i) => (results[i] === null ? [{ alert, i, current: found[i] ?? null }] : []));
  if (pending.length === 0) return results as DeliveryResult[];
  const operations = pending.flatMap(({ alert, current }) => [
    current
      ? {
          index: {
            _index: current.index,
            _id: alert.keywatch.alert.id,
            if_seq_no: current.seqNo,
            if_primary_term: current.primaryTerm,
          },
        }
      : { create: { _index: target, _id: alert.keywatch.alert.id } },
    document(alert),
  ]);
  try {
    const response = await client.bulk({ operations, refresh });
    for (const [k, { i }] of pending.entries()) {
      const item = response.items[k];
      const outcome = item?.index ?? item?.create;
      results[i] =
        outcome?.status === 409
          ? { status: 'retry', reason: 'Elasticsearch 409: the alert changed meanwhile; reading it again' }
          : classifyBulkItem(outcome);
    }
  } catch (err) {
    const result = classifyRequestError(err);
    for (const { i } of pending) results[i] = result;
  }
  return results as DeliveryResult[];
}

/** Where each alert's document is now and its revision; null when it is not indexed. */
async function currentVersions(client: Client, target: string, alerts: EcsAlert[]): Promise<(Found | null)[]> {
  const indices = await concreteIndices(client, target);
  if (indices.length === 0) return alerts.map(() => null);
  const response = await client.mget<{ keywatch?: { alert?: { count?: number } } }>({
    docs: alerts.flatMap((alert) => indices.map((index) => ({ _index: index, _id: alert.keywatch.alert.id }))),
    _source_includes: ['keywatch.alert.count'],
    realtime: true,
  });
  return alerts.map((_alert, i) => {
    for (const doc of response.docs.slice(i * indices.length, (i + 1) * indices.length)) {
      if (!('found' in doc) || !doc.found) continue;
      return {
        index: doc._index,
        seqNo: doc._seq_no ?? 0,
        primaryTerm: doc._primary_term ?? 0,
        revision: doc._source?.keywatch?.alert?.count ?? 1,
      };
    }
    return null;
  });
}

/** The backing indices of the data stream (newest last), or the plain index; none when nothing was written yet. */
async function concreteIndices(client: Client, target: string): Promise<string[]> {
  try {
    const resolved = await client.indices.resolveIndex({ name: target });
    const stream = resolved.data_streams.find((ds) => ds.name === target);
    if (stream) return [...stream.backing_indices];
    return resolved.indices.filter((index) => index.name === target).map((index) => index.name);
  } catch (err) {
    if (err instanceof errors.ResponseError && err.statusCode === 404) return [];
    throw err;
  }
}
