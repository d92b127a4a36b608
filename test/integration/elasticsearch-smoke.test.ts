// Smoke test of the real Elasticsearch node with @elastic/elasticsearch: templates, idempotent bulk create, search,
// and a data stream created on first write, as the alert sink uses it.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createElasticsearchClient } from './elasticsearch-client.ts';

const client = createElasticsearchClient(inject('elasticsearchUrl'));
const runId = randomUUID();

afterAll(async () => {
  await client.close();
});

/** Two bulk requests that each `create` the same `_id`: the first creates it, the second must conflict. */
async function createTwice(index: string, id: string, document: Record<string, unknown>) {
  const first = await client.bulk({ operations: [{ create: { _index: index, _id: id } }, document], refresh: true });
  const second = await client.bulk({ operations: [{ create: { _index: index, _id: id } }, document], refresh: true });
  return { first, second };
}

describe('Elasticsearch node', () => {
  it('answers the client with its version', async () => {
    // nodes.info rather than info(): GET / lives in the rest-root module, which the integ-test-zip lacks.
    const nodes = await client.nodes.info({ node_id: '_local', metric: ['_none'] });
    const versions = Object.values(nodes.nodes).map((node) => node.version);
    expect(versions).toHaveLength(1);
    expect(Number(versions[0]?.split('.')[0])).toBeGreaterThanOrEqual(8);
  });

  describe('with an index template', () => {
    const template = `keywatch-smoke-${runId}`;
    const index = `keywatch-smoke-${runId}-events`;

    afterAll(async () => {
      await client.indices.delete({ index });
      await client.indices.deleteIndexTemplate({ name: template });
    });

    it('applies the template, rejects a second create of one _id per item, and finds the document once', async () => {
      await client.indices.putIndexTemplate({
        name: template,
        index_patterns: [`keywatch-smoke-${runId}-*`],
        priority: 500,
        template: { mappings: { properties: { '@timestamp': { type: 'date' }, 'event.id': { type: 'keyword' } } } },
      });
      const document = { '@timestamp': '2026-01-02T03:04:05Z', event: { id: 'evt-1' } };

      const { first, second } = await createTwice(index, 'evt-1', document);

      expect(first.errors).toBe(false);
      expect(first.items[0]?.create?.status).toBe(201);
      expect(second.errors).toBe(true);
      expect(second.items[0]?.create?.status).toBe(409);
      expect(second.items[0]?.create?.error?.type).toBe('version_conflict_engine_exception');
      const mapping = await client.indices.getMapping({ index });
      expect(mapping[index]?.mappings.properties?.event).toEqual({ properties: { id: { type: 'keyword' } } });
      const found = await client.search({ index, query: { term: { 'event.id': 'evt-1' } } });
      expect(found.hits.total).toEqual({ value: 1, relation: 'eq' });
    });
  });

  describe('with a data stream template', () => {
    // Unique names: the integ-test-zip has no _data_stream API, so a data stream cannot be deleted there.
    const template = `logs-keywatch.smoke${runId}`;
    const dataStream = `logs-keywatch.smoke${runId}-test`;

    afterAll(async () => {
      await client.indices.deleteDataStream({ name: dataStream }, { ignore: [405] });
      await client.indices.deleteIndexTemplate({ name: template }, { ignore: [400] });
    });

    it('creates the data stream on the first bulk create and keeps create idempotent by _id', async () => {
      await client.indices.putIndexTemplate({
        name: template,
        index_patterns: [`logs-keywatch.smoke${runId}-*`],
        data_stream: {},
        priority: 500,
        template: { mappings: { properties: { '@timestamp': { type: 'date' }, message: { type: 'keyword' } } } },
      });
      const document = { '@timestamp': '2026-01-02T03:04:05Z', message: 'alert' };

      const { first, second } = await createTwice(dataStream, 'alert-1', document);

      expect(first.items[0]?.create?.status).toBe(201);
      expect(first.items[0]?.create?._index).toMatch(new RegExp(`^\\.ds-${dataStream.replace(/\./g, '\\.')}-`));
      expect(second.items[0]?.create?.status).toBe(409);
      const resolved = await client.indices.resolveIndex({ name: dataStream });
      expect(resolved.data_streams.map((stream) => stream.name)).toEqual([dataStream]);
      const found = await client.search({ index: dataStream, query: { match_all: {} } });
      expect(found.hits.total).toEqual({ value: 1, relation: 'eq' });
    });
  });
});
