import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleAlert, sampleAlerts } from '../../../test/fakes/sample-alert.ts';
import {
  createDispatcher,
  type DispatchConfigInput,
  dispatchConfigSchema,
  type QueuedDelivery,
  SqliteDeliveryQueue,
} from '../src/index.ts';
import { ScriptedDestination } from './scripted-destination.ts';

const queues: SqliteDeliveryQueue[] = [];
const tempQueue = (path = join(mkdtempSync(join(tmpdir(), 'kw-dispatch-')), 'queue.db')) => {
  const queue = new SqliteDeliveryQueue(path);
  queues.push(queue);
  return queue;
};

afterEach(async () => {
  for (const queue of queues.splice(0)) await queue.close();
});

function setup(destinations: ScriptedDestination[], config: DispatchConfigInput = {}, start = 1_000_000) {
  const clock = { now: start };
  const deadLetters: { id: string; reason: string }[] = [];
  const queue = tempQueue();
  const dispatcher = createDispatcher({
    destinations,
    queue,
    config: dispatchConfigSchema.parse({ retry: { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 4 }, ...config }),
    deadLetter: async (item: QueuedDelivery, reason: string) => {
      deadLetters.push({ id: item.id, reason });
    },
    now: () => clock.now,
    random: () => 0,
  });
  return { clock, queue, dispatcher, deadLetters };
}

describe('dispatcher', () => {
  it('routes each alert to its destinations and delivers them', async () => {
    const pagerduty = new ScriptedDestination('pagerduty', 'pagerduty');
    const siem = new ScriptedDestination('siem', 'elasticsearch');
    const { dispatcher, queue } = setup([pagerduty, siem], {
      routes: [
        { match: { minSeverity: 'high' }, to: ['pagerduty'] },
        { match: {}, to: ['siem'] },
      ],
    });
    await dispatcher.submit([sampleAlert({ id: 'hi', severity: 'high' }), sampleAlert({ id: 'lo', severity: 'low' })]);
    expect(await queue.size()).toBe(3);
    await dispatcher.drain(1000);
    expect(pagerduty.sent).toEqual(['hi']);
    expect(siem.sent).toEqual(['hi', 'lo']);
    expect(await queue.size()).toBe(0);
    expect(dispatcher.stats()).toEqual({
      pagerduty: { delivered: 1, duplicate: 0, retried: 0, deadLettered: 0 },
      siem: { delivered: 2, duplicate: 0, retried: 0, deadLettered: 0 },
    });
  });

  it('counts duplicates as done', async () => {
    const siem = new ScriptedDestination('siem').answer({ status: 'duplicate' });
    const { dispatcher, queue } = setup([siem]);
    await dispatcher.submit([sampleAlert()]);
    await dispatcher.drain(1000);
    expect(dispatcher.stats().siem).toMatchObject({ duplicate: 1, delivered: 0 });
    expect(await queue.size()).toBe(0);
  });

  it('retries with exponential backoff, then delivers', async () => {
    const siem = new ScriptedDestination('siem').answer(
      { status: 'retry', reason: 'Elasticsearch 503' },
      { status: 'retry', reason: 'Elasticsearch 503' },
    );
    const { dispatcher, clock } = setup([siem]);
    await dispatcher.submit([sampleAlert({ id: 'a' })]);
    await dispatcher.drain(100);
    expect(siem.sent).toEqual(['a']);
    clock.now += 499; // first retry after 1000 ms × (½ + jitter 0) = 500 ms
    await dispatcher.drain(100);
    expect(siem.sent).toEqual(['a']);
    clock.now += 1;
    await dispatcher.drain(100);
    expect(siem.sent).toEqual(['a', 'a']);
    clock.now += 1000; // second retry after 2000 ms × ½
    await dispatcher.drain(100);
    expect(siem.sent).toEqual(['a', 'a', 'a']);
    expect(dispatcher.stats().siem).toEqual({ delivered: 1, duplicate: 0, retried: 2, deadLettered: 0 });
  });

  it('dead-letters after max attempts with the last reason', async () => {
    const retry = { status: 'retry', reason: 'cannot reach Elasticsearch (ConnectionError)' } as const;
    const siem = new ScriptedDestination('siem').answer(retry, retry, retry, retry);
    const { dispatcher, clock, deadLetters, queue } = setup([siem]);
    await dispatcher.submit([sampleAlert({ id: 'a' })]);
    for (let i = 0; i < 6; i++) {
      await dispatcher.drain(100);
      clock.now += 10_000;
    }
    expect(siem.sent).toHaveLength(4);
    expect(deadLetters).toEqual([
      { id: 'a:siem', reason: 'gave up after 4 attempts: cannot reach Elasticsearch (ConnectionError)' },
    ]);
    expect(await queue.size()).toBe(0);
    expect(dispatcher.stats().siem).toMatchObject({ retried: 3, deadLettered: 1 });
  });

  it('dead-letters a rejected alert at once and goes on with the rest', async () => {
    const siem = new ScriptedDestination('siem').answer(
      { status: 'delivered' },
      { status: 'rejected', reason: 'Elasticsearch 400 document_parsing_exception: failed to parse field [source.ip]' },
      { status: 'delivered' },
    );
    const { dispatcher, deadLetters } = setup([siem]);
    await dispatcher.submit(sampleAlerts(3, 'r'));
    await dispatcher.drain(1000);
    expect(deadLetters).toEqual([
      { id: 'r-0001:siem', reason: 'Elasticsearch 400 document_parsing_exception: failed to parse field [source.ip]' },
    ]);
    expect(dispatcher.stats().siem).toMatchObject({ delivered: 2, deadLettered: 1 });
  });

  it('honours Retry-After: the destination sends nothing until it has passed', async () => {
    const slack = new ScriptedDestination('slack', 'slack').answer({
      status: 'retry',
      reason: 'Slack HTTP 429',
      retryAfterMs: 7000,
    });
    const { dispatcher, clock } = setup([slack], { rateLimits: { slack: { perSecond: 100, burst: 100 } } });
    await dispatcher.submit([sampleAlert({ id: 'a' })]);
    await dispatcher.drain(100);
    await dispatcher.submit([sampleAlert({ id: 'b' })]);
    clock.now += 6999;
    await dispatcher.drain(100);
    expect(slack.sent).toEqual(['a']);
    clock.now += 1;
    await dispatcher.drain(100);
    expect(slack.sent.sort()).toEqual(['a', 'a', 'b']);
  });

  it('rate-limits a destination with a token bucket: the excess waits in the queue, none is dropped', async () => {
    const slack = new ScriptedDestination('slack', 'slack');
    const { dispatcher, clock, queue } = setup([slack], { rateLimits: { slack: { perSecond: 1, burst: 2 } } });
    await dispatcher.submit(sampleAlerts(5, 'rl'));
    await dispatcher.drain(50);
    expect(slack.sent).toHaveLength(2);
    clock.now += 1000;
    await dispatcher.drain(50);
    expect(slack.sent).toHaveLength(3);
    clock.now += 60_000;
    await dispatcher.drain(50);
    expect(slack.sent).toHaveLength(5);
    expect(await queue.size()).toBe(0);
  });

  it('applies the built-in Slack limit of about one message a second when the config sets none', async () => {
    const slack = new ScriptedDestination('slack', 'slack');
    const { dispatcher } = setup([slack]);
    await dispatcher.submit(sampleAlerts(10, 'd'));
    await dispatcher.drain(50);
    expect(slack.sent).toHaveLength(3);
  });

  it('sends low alerts to a digest destination as one summary at the interval boundary', async () => {
    const slack = new ScriptedDestination('slack', 'slack', { digest: true });
    const hour = 3_600_000;
    const { dispatcher, clock } = setup(
      [slack],
      { digest: { destinations: ['slack'], severities: ['low'], intervalSeconds: 3600 } },
      10 * hour + 5,
    );
    await dispatcher.submit([...sampleAlerts(3, 'low', { severity: 'low' }), sampleAlert({ id: 'urgent', severity: 'high' })]);
    await dispatcher.drain(50);
    expect(slack.sent).toEqual(['urgent']);
    expect(slack.digests).toEqual([]);
    clock.now = 11 * hour;
    await dispatcher.drain(50);
    expect(slack.digests).toEqual([['low-0000', 'low-0001', 'low-0002']]);
    expect(dispatcher.stats().slack).toMatchObject({ delivered: 4 });
  });

  it('refuses routes to unknown destinations and digests to destinations that cannot send them', () => {
    expect(() => setup([new ScriptedDestination('siem')], { routes: [{ to: ['pagerduty'] }] })).toThrow(
      'routes[0].to[0]: unknown destination "pagerduty"',
    );
    expect(() => setup([new ScriptedDestination('siem')], { digest: { destinations: ['siem'] } })).toThrow(
      'digest.destinations[0]: destination "siem" cannot send digests',
    );
  });

  it('keeps a dead destination’s backlog from blocking a healthy one', async () => {
    const dead = new ScriptedDestination('dead');
    for (let i = 0; i < 500; i++) dead.answer({ status: 'retry', reason: 'connection refused (ECONNREFUSED)' });
    const healthy = new ScriptedDestination('healthy');
    const { dispatcher } = setup([dead, healthy], { retry: { batchSize: 10, maxAttempts: 100 } });
    await dispatcher.submit(sampleAlerts(50, 'x'));
    await dispatcher.drain(1000);
    expect(healthy.sent).toHaveLength(50);
    expect(dispatcher.stats().dead).toMatchObject({ delivered: 0, retried: 50 });
  });

  it('resumes after a restart from the queue file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kw-restart-')), 'queue.db');
    const down = new ScriptedDestination('siem').answer(
      ...Array.from({ length: 3 }, () => ({ status: 'retry', reason: 'down' }) as const),
    );
    const first = createDispatcher({
      destinations: [down],
      queue: tempQueue(path),
      config: dispatchConfigSchema.parse({}),
      deadLetter: async () => {},
    });
    await first.submit(sampleAlerts(3, 'p'));
    await first.drain(100);
    await first.stop();
    await queues.pop()!.close();

    const up = new ScriptedDestination('siem');
    const second = createDispatcher({
      destinations: [up],
      queue: tempQueue(path),
      config: dispatchConfigSchema.parse({}),
      deadLetter: async () => {},
      now: () => Date.now() + 3_600_000,
    });
    await second.drain(1000);
    expect(up.sent.sort()).toEqual(['p-0000', 'p-0001', 'p-0002']);
  });

  it('delivers in the background once started, and stops', async () => {
    const siem = new ScriptedDestination('siem');
    const queue = tempQueue();
    const dispatcher = createDispatcher({
      destinations: [siem],
      queue,
      config: dispatchConfigSchema.parse({ retry: { pollIntervalMs: 20 } }),
      deadLetter: async () => {},
    });
    dispatcher.start();
    await dispatcher.submit(sampleAlerts(3, 'bg'));
    await expect.poll(() => siem.sent.length, { timeout: 5000 }).toBe(3);
    await dispatcher.stop();
    await dispatcher.submit(sampleAlerts(1, 'after-stop'));
    expect(await queue.size()).toBe(1);
  });

  it('drain waits for retries that fall due before the deadline, and leaves the rest queued', async () => {
    const siem = new ScriptedDestination('siem').answer({ status: 'retry', reason: 'Elasticsearch 500' });
    const queue = tempQueue();
    const dispatcher = createDispatcher({
      destinations: [siem],
      queue,
      config: dispatchConfigSchema.parse({ retry: { baseDelayMs: 300, maxDelayMs: 300 } }),
      deadLetter: async () => {},
      random: () => 1, // the retry is due 300 ms later
    });
    await dispatcher.submit([sampleAlert({ id: 'late' })]);
    const started = Date.now();
    await dispatcher.drain(5000);
    expect(siem.sent).toEqual(['late', 'late']);
    expect(await queue.size()).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(4000); // it returned once the queue was empty, not at the deadline

    const stuck = new ScriptedDestination('siem').answer({ status: 'retry', reason: 'Elasticsearch 500' });
    const second = createDispatcher({
      destinations: [stuck],
      queue: tempQueue(),
      config: dispatchConfigSchema.parse({ retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } }),
      deadLetter: async () => {},
    });
    await second.submit([sampleAlert({ id: 'later' })]);
    const begun = Date.now();
    await second.drain(2000);
    expect(stuck.sent).toEqual(['later']);
    expect(Date.now() - begun).toBeLessThan(1500); // the retry is due after the deadline: no point waiting
  });

  it('honours Retry-After only up to maxDelayMs', async () => {
    const slack = new ScriptedDestination('slack', 'slack').answer({
      status: 'retry',
      reason: 'Slack HTTP 429',
      retryAfterMs: 86_400_000,
    });
    const { dispatcher, clock } = setup([slack]); // maxDelayMs 8000
    await dispatcher.submit([sampleAlert({ id: 'a' })]);
    await dispatcher.drain(50);
    clock.now += 7999;
    await dispatcher.drain(50);
    expect(slack.sent).toEqual(['a']);
    clock.now += 1;
    await dispatcher.drain(50);
    expect(slack.sent).toEqual(['a', 'a']);
  });

  it('queues a later version of an alert as its own delivery, even after the first was delivered', async () => {
    const siem = new ScriptedDestination('siem');
    const { dispatcher, queue } = setup([siem]);
    const first = sampleAlert({ id: 'grow' });
    const update = { ...first, keywatch: { ...first.keywatch, alert: { ...first.keywatch.alert, count: 3 } } };
    await dispatcher.submit([first]);
    await dispatcher.drain(100);
    await dispatcher.submit([first, update, update]);
    expect(await queue.size()).toBe(1);
    await dispatcher.drain(100);
    expect(siem.sent).toEqual(['grow', 'grow']);
  });
});
