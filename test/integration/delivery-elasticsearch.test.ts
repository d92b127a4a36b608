// The Elasticsearch destination against the real node: template, data stream, documents the External Alerts rule
// understands, idempotent create, and a mapping error that is rejected without blocking its batch.
import { randomUUID } from 'node:crypto';
import { ElasticsearchDestination } from '@keywatch/destinations';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type FieldMapping, mappedType, valueAt } from '../fakes/mapping-lookup.ts';
import { sampleAlert, sampleAlerts } from '../fakes/sample-alert.ts';
import { createElasticsearchClient } from './elasticsearch-client.ts';

const url = inject('elasticsearchUrl');
const client = createElasticsearchClient(url);
const namespace = `it${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const target = `logs-keywatch.alerts-${namespace}`;
const ingestedAt = new Date('2026-03-04T02:17:30.000Z');
const destination = new ElasticsearchDestination({ name: 'siem', url, namespace, timeoutMs: 30_000, now: () => ingestedAt });

const count = async (query: object = { match_all: {} }) => {
  await client.indices.refresh({ index: target });
  return (await client.count({ index: target, query })).count;
};

beforeAll(async () => {
  expect(await destination.install()).toBe('data_stream');
  expect(await destination.send(sampleAlerts(3, `${namespace}-a`))).toEqual(Array(3).fill({ status: 'delivered' }));
});

afterAll(async () => {
  await destination.close();
  await client.close();
});

describe('Elasticsearch destination on a real node', () => {
  it('installs the composable template and writes into the logs-keywatch.alerts-<namespace> data stream', async () => {
    const { index_templates } = await client.indices.getIndexTemplate({ name: 'keywatch-alerts' });
    expect(index_templates[0]?.index_template.index_patterns).toEqual(['logs-keywatch.alerts-*']);
    expect(index_templates[0]?.index_template.data_stream).toBeDefined();
    const resolved = await client.indices.resolveIndex({ name: target });
    expect(resolved.data_streams.map((stream) => stream.name)).toEqual([target]);
  });

  it('maps keywatch.* and the ECS fields explicitly', async () => {
    const mappings = await client.indices.getMapping({ index: target });
    const properties = Object.values(mappings)[0]?.mappings.properties as Record<string, FieldMapping>;
    const types = Object.fromEntries(
      [
        'keywatch.key.id',
        'keywatch.key.owner',
        'keywatch.evidence.event_ids',
        'keywatch.evidence.details',
        'keywatch.alert.severity',
        'event.severity',
        'event.ingested',
        'source.ip',
        'source.geo.location',
        'message',
      ].map((path) => [path, mappedType(properties, path)]),
    );
    expect(types).toEqual({
      'keywatch.key.id': 'keyword',
      'keywatch.key.owner': 'keyword',
      'keywatch.evidence.event_ids': 'keyword',
      'keywatch.evidence.details': 'flattened',
      'keywatch.alert.severity': 'keyword',
      'event.severity': 'long',
      'event.ingested': 'date',
      'source.ip': 'ip',
      'source.geo.location': 'geo_point',
      message: 'text',
    });
  });

  it('stores documents the External Alerts rule picks up: its query on logs-*, message, event.ingested, severity 21/47/73/99', async () => {
    await client.indices.refresh({ index: target });
    // The prebuilt rule's KQL: event.kind:alert and not event.module:(endgame or endpoint or cloud_defend)
    const found = await client.search({
      index: 'logs-*',
      size: 10,
      query: {
        bool: {
          filter: [{ term: { 'event.kind': 'alert' } }, { term: { 'data_stream.namespace': namespace } }],
          must_not: [{ terms: { 'event.module': ['endgame', 'endpoint', 'cloud_defend'] } }],
        },
      },
    });
    expect(found.hits.hits).toHaveLength(3);
    const doc = found.hits.hits[0]?._source;
    expect(valueAt(doc, 'message')).toMatch(/^Key AKIAEXAMPLEKEY000001/);
    expect(valueAt(doc, 'event.ingested')).toBe(ingestedAt.toISOString());
    expect([21, 47, 73, 99]).toContain(valueAt(doc, 'event.severity'));
    expect(valueAt(doc, 'event.risk_score')).toBeGreaterThanOrEqual(0);
    expect(valueAt(doc, 'event.module')).toBe('keywatch');
    expect(valueAt(doc, 'data_stream')).toEqual({ type: 'logs', dataset: 'keywatch.alerts', namespace });
    expect(found.hits.hits.map((hit) => hit._id).sort()).toEqual([
      `${namespace}-a-0000`,
      `${namespace}-a-0001`,
      `${namespace}-a-0002`,
    ]);
    expect(await count({ term: { 'keywatch.key.id': 'AKIAEXAMPLEKEY000001' } })).toBe(3);
  });

  it('answers a second delivery of the same alerts with duplicate (409 on create) and keeps one copy', async () => {
    const again = await destination.send([...sampleAlerts(3, `${namespace}-a`), sampleAlert({ id: `${namespace}-new` })]);
    expect(again).toEqual([{ status: 'duplicate' }, { status: 'duplicate' }, { status: 'duplicate' }, { status: 'delivered' }]);
    expect(await count()).toBe(4);
  });

  it('rejects a document with a mapping error with the reason and delivers the rest of the batch', async () => {
    const bad = sampleAlert({ id: `${namespace}-bad`, sourceIp: 'not-an-ip' });
    const results = await destination.send([
      sampleAlert({ id: `${namespace}-ok1` }),
      bad,
      sampleAlert({ id: `${namespace}-ok2` }),
    ]);
    expect(results[0]).toEqual({ status: 'delivered' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^Elasticsearch 400 .*source\.ip/) });
    expect(results[2]).toEqual({ status: 'delivered' });
    expect(await count()).toBe(6);
  });
});
