// The dispatch role (alerts topic → durable queue → destinations, with its delivery and freshness metrics on
// /metrics) and `replay` from an offset or a timestamp.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayTopic } from '@keywatch/kafka';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startFakePagerDuty } from '../fakes/pagerduty-fake.ts';
import { startFakeSlack } from '../fakes/slack-fake.ts';
import {
  caughtUp,
  detectRun,
  eventStream,
  runInProcess,
  type Scrape,
  servedMetrics,
  startInProcess,
  unique,
  useKafkaRuntime,
  waitFor,
  workDir,
  workerConfig,
} from './kafka-harness.ts';

const brokers = inject('kafkaBrokers');
const kafka = useKafkaRuntime('keywatch-it-dispatch');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('dispatch role', () => {
  it('delivers every alert of the alerts topic, commits, and shows delivery and freshness on /metrics', async () => {
    const stream = await eventStream(kafka(), { keys: 10, events: 800, seed: 9, partitions: 3 });
    await stream.produce(0);
    const run = detectRun('dispatch', stream.topic);
    const alertsFile = join(workDir, `${unique('alerts')}.ndjson`);
    const pagerduty = await startFakePagerDuty();
    const pagerdutyRefusing = await startFakePagerDuty();
    const slack = await startFakeSlack();
    cleanups.push(
      () => pagerduty.close(),
      () => pagerdutyRefusing.close(),
      () => slack.close(),
    );
    pagerduty.fail(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 503, body: 'unavailable' })));
    const config = workerConfig({
      brokers,
      topics: run.topics,
      groups: { detect: run.group, dispatch: unique('dispatch') },
      instanceId: 'dispatch-1',
      partitions: 3,
      extra: {
        dispatch: { queuePath: join(workDir, `${unique('queue')}.db`) },
        destinations: {
          archive: { kind: 'file', path: alertsFile },
          // Three 503s, then every alert accepted: three retries.
          oncall: { kind: 'pagerduty', routingKey: 'env:PD_KEY', url: pagerduty.enqueueUrl },
          // A routing key PagerDuty refuses (400): every alert dead-lettered.
          refused: { kind: 'pagerduty', routingKey: 'env:PD_BAD_KEY', url: pagerdutyRefusing.enqueueUrl },
          // A digest whose next boundary is years away: every alert stays queued.
          summary: { kind: 'slack', webhookUrl: 'env:SLACK_URL' },
        },
        digest: { destinations: ['summary'], severities: ['low', 'medium', 'high', 'critical'], intervalSeconds: 1_000_000_000 },
        rateLimits: { oncall: { perSecond: 1000, burst: 1000 }, refused: { perSecond: 1000, burst: 1000 } },
        retry: { pollIntervalMs: 100, baseDelayMs: 50, maxDelayMs: 200 },
      },
    });
    const env = { PD_KEY: '0123456789abcdef0123456789abcdef', PD_BAD_KEY: 'not-a-routing-key', SLACK_URL: slack.webhookUrl };

    const testStart = Date.now();
    const detectMetrics = await servedMetrics();
    await runInProcess(
      'detect',
      config,
      { runtime: kafka(), groupId: run.group, topic: stream.topic },
      90_000,
      detectMetrics.metrics,
    );
    const detectScrape = await detectMetrics.scrape();
    const alertTimes: number[] = [];
    const ids = new Set<string>();
    for await (const record of kafka().replay({ topic: run.topics.alerts })) {
      const alert = JSON.parse(String(record.value)) as { event: { id: string }; '@timestamp': string };
      ids.add(alert.event.id);
      alertTimes.push(Date.parse(alert['@timestamp']));
    }
    expect(ids.size).toBeGreaterThan(5);
    expect(ids.size).toBe(alertTimes.length);

    const dispatchGroup = (config.groups as { dispatch: string }).dispatch;
    const delivered = () => (existsSync(alertsFile) ? readFileSync(alertsFile, 'utf8').trim().split('\n').filter(Boolean) : []);
    const dispatchMetrics = await servedMetrics();
    const started = Date.now();
    const worker = await startInProcess('dispatch', config, { metrics: dispatchMetrics.metrics, env });
    let scrape: Scrape;
    try {
      await waitFor(
        'dispatch to commit the alerts topic',
        () => caughtUp(kafka(), dispatchGroup, run.topics.alerts),
        60_000,
        200,
      );
      await waitFor('every alert in the file', () => delivered().length >= ids.size, 30_000, 100);
      await waitFor(
        'PagerDuty deliveries and dead letters to settle',
        async () => {
          const s = await dispatchMetrics.scrape();
          const n = (name: string, destination: string) => s.value(name, { destination });
          return (
            n('keywatch_delivery_delivered_total', 'oncall') === ids.size &&
            n('keywatch_delivery_dead_lettered_total', 'refused') === ids.size
          );
        },
        30_000,
        200,
      );
      scrape = await dispatchMetrics.scrape();
    } finally {
      await worker.stop();
    }
    const fileIds = delivered().map((line) => (JSON.parse(line) as { event: { id: string } }).event.id);
    expect(new Set(fileIds)).toEqual(ids);

    const per = (name: string, destination: string) => scrape.value(name, { destination });
    expect(per('keywatch_delivery_delivered_total', 'archive')).toBe(ids.size);
    expect(per('keywatch_delivery_retries_total', 'archive')).toBe(0);
    expect(per('keywatch_delivery_dead_lettered_total', 'archive')).toBe(0);
    expect(per('keywatch_delivery_delivered_total', 'oncall')).toBe(ids.size);
    expect(per('keywatch_delivery_retries_total', 'oncall')).toBe(3);
    expect(per('keywatch_delivery_delivered_total', 'refused')).toBe(0);
    expect(per('keywatch_delivery_dead_lettered_total', 'refused')).toBe(ids.size);
    expect(per('keywatch_delivery_delivered_total', 'summary')).toBe(0);
    for (const destination of ['archive', 'oncall', 'refused']) {
      expect(per('keywatch_delivery_queue_depth', destination)).toBe(0);
      expect(per('keywatch_delivery_oldest_pending_seconds', destination)).toBe(0);
    }
    // The digest holds every alert; the oldest waits since the first batch, within this test's dispatch run.
    expect(per('keywatch_delivery_queue_depth', 'summary')).toBe(ids.size);
    const oldest = per('keywatch_delivery_oldest_pending_seconds', 'summary') ?? -1;
    expect(oldest).toBeGreaterThan(0);
    expect(oldest).toBeLessThanOrEqual((Date.now() - started) / 1000);

    // Freshness: one observation per committed record; its mean lies between now − newest and now − oldest time.
    expectFreshness(detectScrape, 'detect', stream.times, testStart);
    expectFreshness(scrape, 'dispatch', alertTimes, testStart);
    // Process metrics under the names Node.js dashboards use.
    expect(scrape.value('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(scrape.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  }, 180_000);
});

/**
 * The stage's freshness histogram counted every record once, and its mean is what observing them between the
 * test's start and now gives: mean(observation time) − mean(event time).
 */
function expectFreshness(scrape: Scrape, stage: string, times: number[], since: number): void {
  const count = scrape.value('keywatch_event_freshness_seconds_count', { stage });
  const sum = scrape.value('keywatch_event_freshness_seconds_sum', { stage }) ?? Number.NaN;
  expect(count).toBe(times.length);
  const meanTime = times.reduce((a, b) => a + b, 0) / times.length;
  const mean = sum / times.length;
  expect(mean).toBeGreaterThanOrEqual((since - meanTime) / 1000);
  expect(mean).toBeLessThanOrEqual((Date.now() - meanTime) / 1000);
  expect(scrape.value('keywatch_event_freshness_seconds_bucket', { stage, le: '+Inf' })).toBe(times.length);
}

describe('replayTopic', () => {
  it('reads a topic from an offset or from a timestamp, each record tagged with its format', async () => {
    const topic = unique('replay');
    await kafka().ensureTopics([{ topic, partitions: 1 }]);
    await kafka().produce(Array.from({ length: 10 }, (_, i) => ({ topic, key: null, value: `first-${i}` })));
    await new Promise((r) => setTimeout(r, 50));
    const between = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    await kafka().produce(Array.from({ length: 5 }, (_, i) => ({ topic, key: null, value: `second-${i}` })));

    const collect = async (from: { fromOffset?: number; fromTimestamp?: number }) => {
      const values: string[] = [];
      for await (const record of replayTopic({ brokers: brokers.split(','), topic, format: 'cloudtrail', ...from })) {
        expect(record.format).toBe('cloudtrail');
        values.push(String(record.value));
      }
      return values;
    };
    expect(await collect({ fromOffset: 7 })).toEqual([
      'first-7',
      'first-8',
      'first-9',
      ...Array.from({ length: 5 }, (_, i) => `second-${i}`),
    ]);
    expect(await collect({ fromTimestamp: between })).toEqual(Array.from({ length: 5 }, (_, i) => `second-${i}`));
    expect(await collect({ fromTimestamp: Date.now() + 60_000 })).toEqual([]);
  }, 60_000);
});
