// normalize → detect end to end on the real broker: raw CloudTrail records in, alerts out (the same as
// the embedded pipeline gives for the same records), bad records on the DLQ with reasons and no secrets.
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import {
  alertSetDiff,
  alertsById,
  embeddedAlerts,
  readAll,
  runInProcess,
  servedMetrics,
  type TopicNames,
  unique,
  useKafkaRuntime,
  workerConfig,
} from './kafka-harness.ts';
import { cloudTrailStream } from './kafka-stream.ts';

const brokers = inject('kafkaBrokers');
const kafka = useKafkaRuntime('keywatch-it-pipeline');

// Secrets that leak into bad records: they must not reach the DLQ.
const AWS_SECRET = `${randomBytes(30)
  .toString('base64')
  .replace(/[^A-Za-z0-9]/g, 'x')
  .slice(0, 40)}`;
const GITHUB_TOKEN = `ghp_${randomBytes(27)
  .toString('base64')
  .replace(/[^A-Za-z0-9]/g, 'Q')
  .slice(0, 36)}`;

describe('normalize → detect through Kafka', () => {
  it('emits the alerts of the embedded pipeline and dead-letters bad records with their reason', async () => {
    const raw = unique('raw-cloudtrail');
    const topics: TopicNames = { events: unique('events'), dlq: unique('dlq'), alerts: unique('alerts'), state: unique('state') };
    const groups = { normalize: unique('normalize'), detect: unique('detect') };
    await kafka().ensureTopics([{ topic: raw, partitions: 3 }]);

    const records = cloudTrailStream({ keys: 15, events: 1500, seed: 5 });
    const bad = [
      `{"eventTime": "2026-03-02T10:00:00Z", "token": "${GITHUB_TOKEN}", broken`,
      JSON.stringify({
        eventVersion: '1.08',
        eventSource: 's3.amazonaws.com',
        eventName: 'GetObject',
        userIdentity: { type: 'IAMUser', accessKeyId: 'AKIABADRECORD0000001' },
        requestParameters: { aws_secret_access_key: AWS_SECRET },
      }),
    ];
    // Raw records keyed by key id keep each key's order across the raw partitions, as in the embedded run.
    const keyOf = (r: Record<string, unknown>) => (r.userIdentity as { accessKeyId: string }).accessKeyId;
    await kafka().produce([
      ...records.map((r) => ({ topic: raw, key: keyOf(r), value: JSON.stringify(r) })),
      ...bad.map((value) => ({ topic: raw, key: 'bad', value })),
    ]);

    const config = workerConfig({
      brokers,
      topics,
      groups,
      instanceId: 'pipeline-1',
      sources: [{ topic: raw, format: 'cloudtrail' }],
    });
    const testStart = Date.now();
    const normalizeMetrics = await servedMetrics();
    await runInProcess(
      'normalize',
      config,
      { runtime: kafka(), groupId: groups.normalize, topic: raw },
      90_000,
      normalizeMetrics.metrics,
    );
    // /metrics: one freshness observation per event written, its mean that of observing them since the test began.
    const scrape = await normalizeMetrics.scrape();
    // normalize packs a key's events of a batch into one record, one event JSON a line.
    const eventTimes: number[] = [];
    for await (const record of kafka().replay({ topic: topics.events, idleTimeoutMs: 20_000 })) {
      for (const line of String(record.value).split('\n'))
        eventTimes.push(Date.parse((JSON.parse(line) as { time: string }).time));
    }
    const meanTime = eventTimes.reduce((a, b) => a + b, 0) / eventTimes.length;
    const count = scrape.value('keywatch_event_freshness_seconds_count', { stage: 'normalize' });
    const sum = scrape.value('keywatch_event_freshness_seconds_sum', { stage: 'normalize' }) ?? Number.NaN;
    expect(eventTimes.length).toBeGreaterThan(1000);
    expect(count).toBe(eventTimes.length);
    expect(sum / eventTimes.length).toBeGreaterThanOrEqual((testStart - meanTime) / 1000);
    expect(sum / eventTimes.length).toBeLessThanOrEqual((Date.now() - meanTime) / 1000);
    expect(scrape.value('keywatch_records_in_total', { stage: 'normalize' })).toBe(records.length + bad.length);
    await runInProcess('detect', config, { runtime: kafka(), groupId: groups.detect, topic: topics.events });

    const actual = await alertsById(kafka(), topics.alerts);
    const expected = embeddedAlerts(records);
    expect(expected.size).toBeGreaterThan(10);
    expect(alertSetDiff(expected, actual)).toEqual([]);

    const dead = await readAll<{ reason: string; message: string; record: unknown; source: { topic: string } }>(
      kafka(),
      topics.dlq,
    );
    expect(dead.map((d) => d.headers.reason).sort()).toEqual(['invalid_field', 'invalid_json']);
    for (const d of dead) {
      expect(d.headers['source.topic']).toBe(raw);
      expect(Number(d.headers['source.offset'])).toBeGreaterThanOrEqual(0);
      expect(d.value.reason).toBe(d.headers.reason);
    }
    const everything = JSON.stringify(dead);
    expect(everything).not.toContain(AWS_SECRET);
    expect(everything).not.toContain(GITHUB_TOKEN);
    expect(everything).toContain('REDACTED');
  }, 180_000);
});
