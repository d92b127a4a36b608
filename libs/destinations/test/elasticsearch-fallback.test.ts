import { afterEach, describe, expect, it } from 'vitest';
import { type FakeElasticsearch, startFakeElasticsearch } from '../../../test/fakes/elasticsearch-fake.ts';
import { sampleAlert } from '../../../test/fakes/sample-alert.ts';
import { ElasticsearchDestination } from '../src/index.ts';

let server: FakeElasticsearch | undefined;
let destination: ElasticsearchDestination | undefined;

afterEach(async () => {
  await destination?.close();
  await server?.close();
});

describe('ElasticsearchDestination on servers the real test node cannot imitate', () => {
  it('falls back to a plain-index template when the server refuses data_stream templates', async () => {
    server = await startFakeElasticsearch({ dataStreams: false });
    destination = new ElasticsearchDestination({ name: 'siem', url: server.url, namespace: 'default', timeoutMs: 2000 });
    expect(await destination.install()).toBe('index');
    const template = server.templates().get('keywatch-alerts');
    expect(template?.data_stream).toBeUndefined();
    expect(template?.index_patterns).toEqual(['logs-keywatch.alerts-*']);
    expect(await destination.send([sampleAlert({ id: 'kw-1' })])).toEqual([{ status: 'delivered' }]);
    expect(server.requests.at(-1)?.path).toMatch(/^\/logs-keywatch\.alerts-default\/_bulk/);
  });

  it('keeps alerts for a retry when the API key is refused (401), without quoting the key', async () => {
    server = await startFakeElasticsearch({ rejectAuth: true });
    destination = new ElasticsearchDestination({
      name: 'siem',
      url: server.url,
      namespace: 'default',
      timeoutMs: 2000,
      auth: { apiKey: 'c2VjcmV0LWFwaS1rZXk=' },
    });
    const [result] = await destination.send([sampleAlert()]);
    expect(result).toMatchObject({ status: 'retry', reason: expect.stringContaining('HTTP 401') });
    expect(JSON.stringify(result)).not.toContain('c2VjcmV0LWFwaS1rZXk=');
    expect(server.requests[0]?.headers.authorization).toBe('ApiKey c2VjcmV0LWFwaS1rZXk=');
  });

  it('retries when nothing listens', async () => {
    destination = new ElasticsearchDestination({
      name: 'siem',
      url: 'http://127.0.0.1:1',
      namespace: 'default',
      timeoutMs: 2000,
    });
    const [result] = await destination.send([sampleAlert()]);
    expect(result).toMatchObject({ status: 'retry' });
  });
});
