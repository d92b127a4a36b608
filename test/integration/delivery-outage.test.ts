// The outage test: alerts stream into the dispatcher while Elasticsearch is stopped in the middle and started
// again; afterwards every alert is in Elasticsearch exactly once. It uses a private node (own port and data dir)
// because the shared node must never be stopped.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ElasticsearchDestination } from '@keywatch/destinations';
import { createDispatcher, dispatchConfigSchema, SqliteDeliveryQueue } from '@keywatch/dispatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAlerts } from '../fakes/sample-alert.ts';
import { privateElasticsearchNode } from './delivery-es-node.ts';
import { createElasticsearchClient } from './elasticsearch-client.ts';

/** How long Elasticsearch stays down (the issue asks for a minute). */
const OUTAGE_MS = 60_000;

const node = privateElasticsearchNode('es-delivery-outage', Number(process.env.KEYWATCH_OUTAGE_ES_PORT ?? 9251));
const TOTAL = 300;
const BATCH = 10;

beforeAll(async () => {
  await node.start();
}, 240_000);

afterAll(async () => {
  await node.stop();
}, 120_000);

describe('Elasticsearch outage in the middle of a stream', () => {
  it('ends with every alert in Elasticsearch exactly once', async () => {
    const namespace = `outage${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const destination = new ElasticsearchDestination({ name: 'siem', url: node.url, namespace, timeoutMs: 5000 });
    const queue = new SqliteDeliveryQueue(join(mkdtempSync(join(tmpdir(), 'kw-outage-')), 'queue.db'));
    const deadLetters: string[] = [];
    const dispatcher = createDispatcher({
      destinations: [destination],
      queue,
      config: dispatchConfigSchema.parse({
        retry: { baseDelayMs: 200, maxDelayMs: 3000, maxAttempts: 10_000, batchSize: 50, pollIntervalMs: 100 },
      }),
      deadLetter: async (item, reason) => {
        deadLetters.push(`${item.id}: ${reason}`);
      },
    });
    const alerts = sampleAlerts(TOTAL, namespace);
    const submitBatches = async (from: number, to: number) => {
      for (let i = from; i < to; i += BATCH) {
        await dispatcher.submit(alerts.slice(i, Math.min(i + BATCH, to)));
        await sleep(30);
      }
    };

    dispatcher.start();
    await submitBatches(0, 100);
    await expect.poll(() => dispatcher.stats().siem?.delivered ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);

    // Outage: stop the node while the stream goes on, keep it down for a minute, then start it on the same data.
    const outageStarted = Date.now();
    const stopping = node.stop();
    await submitBatches(100, 200);
    await stopping;
    await submitBatches(200, 250);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));
    const retriedDuringOutage = dispatcher.stats().siem?.retried ?? 0;
    await node.restart();
    await submitBatches(250, TOTAL);

    await expect.poll(() => queue.size(), { timeout: 120_000, interval: 500 }).toBe(0);
    await dispatcher.stop();
    await destination.close();
    await queue.close();

    const client = createElasticsearchClient(node.url);
    try {
      const index = `logs-keywatch.alerts-${namespace}`;
      await client.indices.refresh({ index });
      const found = await client.search({ index, size: TOTAL + 50, _source: false, query: { match_all: {} } });
      const ids = found.hits.hits.map((hit) => hit._id);
      expect(found.hits.total).toEqual({ value: TOTAL, relation: 'eq' });
      expect(new Set(ids).size).toBe(TOTAL);
      expect([...ids].sort()).toEqual(alerts.map((a) => a.event.id).sort());
    } finally {
      await client.close();
    }
    const stats = dispatcher.stats().siem!;
    expect(retriedDuringOutage).toBeGreaterThan(0); // the outage was real: deliveries failed and were retried
    expect(stats.delivered + stats.duplicate).toBe(TOTAL);
    expect(deadLetters).toEqual([]);
  }, 400_000);
});
