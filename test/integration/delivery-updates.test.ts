// Alert updates on the real Elasticsearch node: a later version of an alert (higher count) replaces its document,
// an older or equal one does not, also after the data stream rolled over, and an update whose first version never
// arrived is created (the first version then counts as already there).
import { randomUUID } from 'node:crypto';
import type { EcsAlert } from '@keywatch/alerts';
import { ElasticsearchDestination } from '@keywatch/destinations';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sampleAlert } from '../fakes/sample-alert.ts';
import { createElasticsearchClient } from './elasticsearch-client.ts';

const url = inject('elasticsearchUrl');
const client = createElasticsearchClient(url);
const namespace = `up${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const target = `logs-keywatch.alerts-${namespace}`;
const destination = new ElasticsearchDestination({ name: 'siem', url, namespace, timeoutMs: 30_000 });

/** Version `count` of alert `id`: more findings, more evidence. */
function version(id: string, count: number): EcsAlert {
  const first = sampleAlert({ id });
  const ids = Array.from({ length: Math.min(count, 20) }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
  return {
    ...first,
    keywatch: {
      ...first.keywatch,
      alert: { ...first.keywatch.alert, count },
      evidence: { ...first.keywatch.evidence, event_ids: ids },
    },
  };
}

async function indexed(id: string) {
  await client.indices.refresh({ index: target });
  const { hits } = await client.search<EcsAlert>({ index: target, query: { ids: { values: [id] } } });
  return hits.hits.map((hit) => ({
    count: hit._source?.keywatch.alert.count,
    evidence: hit._source?.keywatch.evidence.event_ids.length,
    index: hit._index,
  }));
}

beforeAll(async () => {
  expect(await destination.install()).toBe('data_stream');
});

afterAll(async () => {
  await client.indices.deleteDataStream({ name: target }).catch(() => {});
  await destination.close();
  await client.close();
});

describe('alert updates in Elasticsearch', () => {
  it('replaces the document with a newer version only', async () => {
    const id = `${namespace}-grow`;
    expect(await destination.send([version(id, 1)])).toEqual([{ status: 'delivered' }]);
    expect(await destination.send([version(id, 4)])).toEqual([{ status: 'delivered' }]);
    expect(await indexed(id)).toMatchObject([{ count: 4, evidence: 4 }]);
    // Older and equal versions (a late re-delivery, a replay) leave it alone.
    expect(await destination.send([version(id, 3), version(id, 4)])).toEqual([{ status: 'duplicate' }, { status: 'duplicate' }]);
    expect(await destination.send([version(id, 1)])).toEqual([{ status: 'duplicate' }]);
    expect(await indexed(id)).toMatchObject([{ count: 4, evidence: 4 }]);
  });

  it('finds the document in an older backing index after a rollover and updates it there', async () => {
    const id = `${namespace}-rolled`;
    await destination.send([version(id, 1)]);
    const [before] = await indexed(id);
    await client.indices.rollover({ alias: target });
    expect(await destination.send([version(id, 7)])).toEqual([{ status: 'delivered' }]);
    const after = await indexed(id);
    expect(after).toEqual([{ count: 7, evidence: 7, index: before!.index }]); // one document, where it was
  });

  it('creates an update whose first version is not there, and the late first version is then a duplicate', async () => {
    const id = `${namespace}-late`;
    expect(await destination.send([version(id, 5)])).toEqual([{ status: 'delivered' }]);
    expect(await destination.send([version(id, 1)])).toEqual([{ status: 'duplicate' }]);
    expect(await indexed(id)).toMatchObject([{ count: 5 }]);
  });

  it('takes first versions and updates of other alerts in one batch', async () => {
    const a = `${namespace}-batch-a`;
    const b = `${namespace}-batch-b`;
    await destination.send([version(a, 1)]);
    expect(await destination.send([version(b, 1), version(a, 2), version(b, 1)])).toEqual([
      { status: 'delivered' },
      { status: 'delivered' },
      { status: 'duplicate' },
    ]);
    expect(await indexed(a)).toMatchObject([{ count: 2 }]);
    expect(await indexed(b)).toMatchObject([{ count: 1 }]);
  });
});
