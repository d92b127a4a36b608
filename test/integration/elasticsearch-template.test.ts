// How keywatch installs its Elasticsearch content on a real node: once, never over an operator's newer or edited
// template, with a data stream lifecycle, the @custom hook, and the ingest pipeline that stamps event.ingested.
import { randomUUID } from 'node:crypto';
import {
  ALERTS_CUSTOM_TEMPLATE,
  ALERTS_PIPELINE_NAME,
  ALERTS_TEMPLATE_NAME,
  ElasticsearchDestination,
  installAlertsTemplate,
  loadAlertsTemplate,
} from '@keywatch/destinations';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sampleAlerts } from '../fakes/sample-alert.ts';
import { createElasticsearchClient } from './elasticsearch-client.ts';

const url = inject('elasticsearchUrl');
const client = createElasticsearchClient(url);
const ours = loadAlertsTemplate();

async function installed() {
  const { index_templates } = await client.indices.getIndexTemplate({ name: ALERTS_TEMPLATE_NAME });
  return index_templates[0]!.index_template as (typeof index_templates)[0]['index_template'] & {
    template?: { lifecycle?: { data_retention?: string }; settings?: { index?: { default_pipeline?: string } } };
  };
}

/** What an operator does in Dev Tools: PUT the template back with changes. */
async function putTemplate(body: object, changes: object) {
  await client.indices.putIndexTemplate({ name: ALERTS_TEMPLATE_NAME, ...body, ...changes } as never);
}

/**
 * Removes our template, or, when data streams of earlier test files still use it (a template in use cannot be
 * deleted, and the minimal node has no API to delete data streams), makes it look older than ours.
 */
async function removeOrAge(): Promise<'absent' | 'older'> {
  await client.ingest.deletePipeline({ id: ALERTS_PIPELINE_NAME }).catch(() => undefined);
  const removed = await client.indices.deleteIndexTemplate({ name: ALERTS_TEMPLATE_NAME }).then(
    () => true,
    () => false,
  );
  if (removed) return 'absent';
  await putTemplate(await installed(), { version: 1 });
  return 'older';
}

/** The minimal integ-test distribution CI runs has no ingest processors; a full cluster has `set`. */
async function hasSetProcessor(): Promise<boolean> {
  const nodes = (await client.nodes.info({ metric: 'ingest' })) as {
    nodes: Record<string, { ingest?: { processors?: { type: string }[] } }>;
  };
  return Object.values(nodes.nodes).every((n) => n.ingest?.processors?.some((p) => p.type === 'set') === true);
}

let ingestProcessors = false;
beforeAll(async () => {
  ingestProcessors = await hasSetProcessor();
});

afterAll(async () => {
  // Leave the node as the other test files expect it: our template, freshly installed.
  await installAlertsTemplate(client, { retention: '180d', force: true });
  await client.close();
});

describe('installing the alerts template on a real node', () => {
  it('installs it when absent (or older): versioned, composing logs@ and the @custom hook, with a lifecycle', async () => {
    await removeOrAge();
    const outcome = await installAlertsTemplate(client, { retention: '30d', force: false });
    expect(outcome.template).toBe('installed');
    const template = await installed();
    expect(template.version).toBe(ours.version);
    expect(template.composed_of).toEqual(['logs@mappings', 'logs@settings', ALERTS_CUSTOM_TEMPLATE]);
    expect(template.ignore_missing_component_templates).toEqual(template.composed_of);
    if (outcome.mode === 'data_stream') expect(template.template?.lifecycle?.data_retention).toBe('30d');
  });

  it('does not install it again on a restart, and never clobbers an operator edit of the same or a newer version', async () => {
    expect((await installAlertsTemplate(client, { retention: '30d', force: false })).template).toBe('kept');

    await putTemplate(await installed(), { _meta: { managed_by: 'operator', note: 'edited' } });
    expect((await installAlertsTemplate(client, { retention: '180d', force: false })).template).toBe('kept');
    expect((await installed())._meta).toEqual({ managed_by: 'operator', note: 'edited' });

    await putTemplate(await installed(), { version: ours.version + 5 });
    expect((await installAlertsTemplate(client, { retention: '180d', force: false })).template).toBe('kept');
    expect((await installed()).version).toBe(ours.version + 5);
  });

  it('replaces an older one, and any one when forced', async () => {
    await putTemplate(await installed(), { version: 1 });
    expect((await installAlertsTemplate(client, { retention: '90d', force: false })).template).toBe('installed');
    expect((await installed()).version).toBe(ours.version);

    await putTemplate(await installed(), { version: 99 });
    expect((await installAlertsTemplate(client, { retention: '90d', force: true })).template).toBe('installed');
    expect((await installed()).version).toBe(ours.version);
  });

  it('keeps alerts for ever when retention is null', async () => {
    const outcome = await installAlertsTemplate(client, { retention: null, force: true });
    expect((await installed()).template?.lifecycle).toBeUndefined();
    expect(outcome.template).toBe('installed');
  });

  it('sets event.ingested from the cluster clock through the ingest pipeline (or says the node cannot)', async () => {
    const outcome = await installAlertsTemplate(client, { retention: '180d', force: true });
    if (!ingestProcessors) {
      // Without ingest processors the pipeline cannot exist, and the template must not point at it.
      expect(outcome.pipeline).toBe('unsupported');
      expect((await installed()).template?.settings?.index?.default_pipeline).toBeUndefined();
      console.warn(
        "skipped: this Elasticsearch build has no ingest processors (the integ-test distribution); event.ingested stays keywatch's",
      );
      return;
    }
    expect(outcome.pipeline).toBe('installed');
    expect((await installed()).template?.settings?.index?.default_pipeline).toBe(ALERTS_PIPELINE_NAME);
    const namespace = `ing${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const keywatchClock = new Date('2001-01-01T00:00:00.000Z');
    const destination = new ElasticsearchDestination({
      name: 'siem',
      url,
      namespace,
      timeoutMs: 30_000,
      now: () => keywatchClock,
      refresh: true,
    });
    try {
      const before = Date.now();
      expect(await destination.send(sampleAlerts(1, namespace))).toEqual([{ status: 'delivered' }]);
      const hits = await client.search({ index: `logs-keywatch.alerts-${namespace}` });
      const source = hits.hits.hits[0]!._source as { event: { ingested: string } };
      const ingested = Date.parse(source.event.ingested);
      expect(ingested).toBeGreaterThanOrEqual(before - 60_000);
    } finally {
      await destination.close();
    }
  });
});
