// Alert updates through the real broker and into the real Elasticsearch: the detect role (the same detect stage
// as `keywatch run`) produces the final version of every grouped alert to the alerts topic, exactly as the
// embedded pipeline hands it out, and the dispatch role replaces the document in Elasticsearch and appends the
// new line to the file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EcsAlert } from '@keywatch/alerts';
import { withDefaults } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import { createEmbeddedPipeline } from '@keywatch/pipeline';
import { parseRegistry } from '@keywatch/registry';
import { normalizeRecord } from '@keywatch/sources';
import { MemoryProfileStore } from '@keywatch/state';
import { describe, expect, inject, it } from 'vitest';
import { createElasticsearchClient } from './elasticsearch-client.ts';
import {
  caughtUp,
  detectRun,
  readAll,
  runInProcess,
  startInProcess,
  unique,
  useKafkaRuntime,
  waitFor,
  workDir,
  workerConfig,
} from './kafka-harness.ts';
import { cloudTrailStream } from './kafka-stream.ts';

const brokers = inject('kafkaBrokers');
const elasticsearchUrl = inject('elasticsearchUrl');
const kafka = useKafkaRuntime('keywatch-it-updates');

// Three read-only keys that write six times in a row: one write_on_read_only alert each, the later writes join it.
const READ_ONLY = ['AKIA0001TESTKEY0000', 'AKIA0004TESTKEY0000', 'AKIA0007TESTKEY0000'];
const REGISTRY = `keys:\n${READ_ONLY.map((id) => `  - id: ${id}\n    scope: read-only\n`).join('')}`;

function records(): Record<string, unknown>[] {
  const all = cloudTrailStream({ keys: 10, events: 1500, seed: 9 });
  for (const [k, key] of READ_ONLY.entries()) {
    const mine = all.filter((r) => (r.userIdentity as { accessKeyId: string }).accessKeyId === key);
    for (const r of mine.slice(60 + k * 20, 66 + k * 20)) {
      Object.assign(r, { eventSource: 's3.amazonaws.com', eventName: 'PutObject', readOnly: false });
    }
  }
  return all;
}

/** What `keywatch run` hands out for the same records: first versions, and final versions before the input ended. */
function embedded(input: Record<string, unknown>[]) {
  const alerts: EcsAlert[] = [];
  const updates: EcsAlert[] = [];
  const pipeline = createEmbeddedPipeline(
    { format: 'cloudtrail' },
    {
      geo: createGeoLookup(),
      registry: parseRegistry(REGISTRY, 'keys.yaml'),
      store: new MemoryProfileStore(),
      options: withDefaults({ learning: { minEvents: 5, minDays: 0 } }),
    },
    { alert: (a) => alerts.push(a), alertUpdate: (a) => updates.push(a), deadLetter: () => {} },
    { latenessSeconds: 0 }, // events in arrival order, as the detect worker sees them
  );
  for (const [i, value] of input.entries()) pipeline.push({ value }, { file: 'generated', line: i + 1 });
  return { alerts, updates };
}

describe('alert updates through Kafka into Elasticsearch', () => {
  it('produces the final versions of grouped alerts and every destination takes them', async () => {
    const input = records();
    const reference = embedded(input);
    expect(reference.updates.map((u) => u.keywatch.alert.count).sort()).toEqual([3, 3, 6, 6]);

    const events = input.flatMap((r) => normalizeRecord(r, { format: 'cloudtrail' }).events);
    const eventsTopic = unique('events');
    await kafka().ensureTopics([{ topic: eventsTopic, partitions: 3 }]);
    await kafka().produce(events.map((e) => ({ topic: eventsTopic, key: e.credentialId, value: JSON.stringify(e) })));

    const run = detectRun('updates', eventsTopic);
    const keysFile = join(workDir, `${unique('keys')}.yaml`);
    writeFileSync(keysFile, REGISTRY);
    const alertsFile = join(workDir, `${unique('alerts')}.ndjson`);
    const namespace = unique('ns').replace(/[^a-z0-9]/g, '');
    const config = workerConfig({
      brokers,
      topics: run.topics,
      groups: { detect: run.group, dispatch: unique('dispatch') },
      instanceId: 'updates-1',
      partitions: 3,
      extra: {
        detect: { keys: keysFile, learning: { minEvents: 5, minDays: 0 }, latenessSeconds: 0 },
        dispatch: { queuePath: join(workDir, `${unique('queue')}.db`) },
        destinations: {
          siem: { kind: 'elasticsearch', url: elasticsearchUrl, namespace, refresh: true },
          archive: { kind: 'file', path: alertsFile },
        },
        retry: { pollIntervalMs: 100 },
      },
    });
    await runInProcess('detect', config, { runtime: kafka(), groupId: run.group, topic: eventsTopic });

    // The alerts topic: every first version and every final version of the embedded run, equal to the field.
    const produced = (await readAll<EcsAlert>(kafka(), run.topics.alerts)).map((r) => r);
    const firsts = produced.filter((r) => r.value.keywatch.alert.count === 1);
    const updates = produced.filter((r) => r.value.keywatch.alert.count > 1);
    const byId = (alerts: EcsAlert[]) => new Map(alerts.map((a) => [a.keywatch.alert.id, a]));
    expect(byId(updates.map((u) => u.value))).toEqual(byId(reference.updates));
    expect(new Set(firsts.map((f) => f.value.keywatch.alert.id))).toEqual(
      new Set(reference.alerts.map((a) => a.keywatch.alert.id)),
    );
    for (const update of updates) {
      expect(update.headers['alert.revision']).toBe(String(update.value.keywatch.alert.count));
      expect(update.headers['rule.id']).toBeUndefined(); // the alerts metric counts alerts, not versions
    }

    const worker = await startInProcess('dispatch', config);
    const lines = () => (existsSync(alertsFile) ? readFileSync(alertsFile, 'utf8').trim().split('\n').filter(Boolean) : []);
    const client = createElasticsearchClient(elasticsearchUrl);
    const target = `logs-keywatch.alerts-${namespace}`;
    try {
      const dispatchGroup = (config.groups as { dispatch: string }).dispatch;
      await waitFor(
        'dispatch to commit the alerts topic',
        () => caughtUp(kafka(), dispatchGroup, run.topics.alerts),
        60_000,
        200,
      );
      await waitFor('every version in the file', () => lines().length >= produced.length, 30_000, 100);
      const counts = async () => {
        // Until the dispatcher created the data stream and its shard is up, searching it fails: nothing there yet.
        const response = await client
          .search<EcsAlert>({
            index: target,
            size: 1000,
            query: { ids: { values: updates.map((u) => u.value.keywatch.alert.id) } },
          })
          .catch(() => null);
        return (response?.hits.hits ?? []).map((h) => [h._id, h._source?.keywatch.alert.count]).sort();
      };
      const expected = updates.map((u) => [u.value.keywatch.alert.id, u.value.keywatch.alert.count]).sort();
      const total = async () => {
        await client.indices.refresh({ index: target }).catch(() => null);
        return (await client.count({ index: target }).catch(() => null))?.count ?? 0;
      };
      // The file is written faster than Elasticsearch: wait until it holds every alert, then compare.
      await waitFor('every alert in Elasticsearch', async () => (await total()) >= firsts.length, 60_000, 200);
      await waitFor(
        'the final versions in Elasticsearch',
        async () => JSON.stringify(await counts()) === JSON.stringify(expected),
        30_000,
        200,
      );
      expect(await counts()).toEqual(expected);
      expect(await total()).toBe(firsts.length); // replaced, not added
    } finally {
      await worker.stop();
      await client.indices.deleteDataStream({ name: target }).catch(() => {});
      await client.close();
    }
    const written = lines().map((line) => JSON.parse(line) as EcsAlert);
    expect(
      written
        .filter((a) => a.keywatch.alert.count > 1)
        .map((a) => a.keywatch.alert.id)
        .sort(),
    ).toEqual(updates.map((u) => u.value.keywatch.alert.id).sort());
  }, 240_000);
});
