// A minimal stand-in for Elasticsearch, for unit tests of paths the real server cannot be made to take: a server
// without data streams (template with `data_stream` refused) and one that refuses the API key (401).
// Everything else is tested against the real server (test/integration/delivery-elasticsearch*.test.ts).
import { type FakeHttpServer, type RecordedRequest, startFakeHttp } from './http-fake.ts';

export interface FakeElasticsearchOptions {
  dataStreams?: boolean;
  /** Answer every request with 401, as Elasticsearch does for a bad API key. */
  rejectAuth?: boolean;
}

export interface FakeElasticsearch extends FakeHttpServer {
  templates(): Map<string, Record<string, unknown>>;
  documents(): Map<string, unknown>;
}

const PRODUCT = { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' };

export async function startFakeElasticsearch(options: FakeElasticsearchOptions = {}): Promise<FakeElasticsearch> {
  const templates = new Map<string, Record<string, unknown>>();
  const documents = new Map<string, unknown>();
  const pipelines = new Map<string, Record<string, unknown>>();
  const server = await startFakeHttp((request: RecordedRequest) => {
    if (options.rejectAuth) {
      return json(401, {
        error: { type: 'security_exception', reason: 'unable to authenticate with provided credentials' },
        status: 401,
      });
    }
    const pipeline = /^\/_ingest\/pipeline\/([^/?]+)/.exec(request.path);
    if (pipeline) {
      const id = decodeURIComponent(pipeline[1]!);
      if (request.method === 'PUT') {
        pipelines.set(id, JSON.parse(request.body) as Record<string, unknown>);
        return json(200, { acknowledged: true });
      }
      const found = pipelines.get(id);
      return found ? json(200, { [id]: found }) : json(404, {});
    }
    const template = /^\/_index_template\/([^/?]+)/.exec(request.path);
    if (template && request.method === 'GET') {
      const name = decodeURIComponent(template[1]!);
      const found = templates.get(name);
      if (!found)
        return json(404, {
          error: { type: 'resource_not_found_exception', reason: `index template matching [${name}] not found` },
          status: 404,
        });
      return json(200, { index_templates: [{ name, index_template: found }] });
    }
    if (template && request.method === 'PUT') {
      const body = JSON.parse(request.body) as Record<string, unknown>;
      if (body.data_stream && options.dataStreams === false) {
        return json(400, {
          error: { type: 'x_content_parse_exception', reason: '[1:2] [index_template] unknown field [data_stream]' },
          status: 400,
        });
      }
      templates.set(decodeURIComponent(template[1]!), body);
      return json(200, { acknowledged: true });
    }
    if (/\/_bulk(\?|$)/.test(request.path) && request.method === 'POST') {
      const lines = request.body.trim().split('\n');
      const items = [];
      for (let i = 0; i < lines.length; i += 2) {
        const action = JSON.parse(lines[i]!) as { create: { _id: string } };
        const id = action.create._id;
        const exists = documents.has(id);
        if (!exists) documents.set(id, JSON.parse(lines[i + 1]!));
        items.push({
          create: exists
            ? { _id: id, status: 409, error: { type: 'version_conflict_engine_exception', reason: 'exists' } }
            : { _id: id, status: 201, result: 'created' },
        });
      }
      return json(200, { took: 1, errors: items.some((item) => item.create.status !== 201), items });
    }
    return json(404, { error: { type: 'fake_not_implemented', reason: `${request.method} ${request.path}` }, status: 404 });
  });
  return Object.assign(server, { templates: () => templates, documents: () => documents });
}

function json(status: number, body: unknown) {
  return { status, body: JSON.stringify(body), headers: PRODUCT };
}
