import { Secret } from '@keywatch/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakePagerDuty, startFakePagerDuty } from '../../../test/fakes/pagerduty-fake.ts';
import { sampleAlert, sampleAlerts } from '../../../test/fakes/sample-alert.ts';
import { destinationsConfigSchema, PagerDutyDestination, type PagerDutyLink } from '../src/index.ts';

const ROUTING_KEY = '0123456789abcdef0123456789abcdef';
let pagerduty: FakePagerDuty;
let destination: PagerDutyDestination;

function create(routingKey = ROUTING_KEY, links: PagerDutyLink[] = []) {
  return new PagerDutyDestination({
    name: 'oncall',
    routingKey: new Secret(routingKey, 'test'),
    url: pagerduty.enqueueUrl,
    timeoutMs: 500,
    throttleWaitMs: 30_000,
    links,
  });
}

beforeEach(async () => {
  pagerduty = await startFakePagerDuty();
  destination = create();
});

afterEach(async () => {
  await pagerduty.close();
});

describe('PagerDutyDestination against a fake Events API v2', () => {
  it('triggers with dedup_key = alert id, mapped severity, summary, source and custom details', async () => {
    const results = await destination.send([sampleAlert({ id: 'kw-pd-1', severity: 'high' })]);
    expect(results).toEqual([{ status: 'delivered' }]);
    const [event] = pagerduty.events();
    expect(event).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'kw-pd-1',
      payload: { severity: 'error', source: 'aws/111122223333/AKIAEXAMPLEKEY000001', class: 'new_country', group: 'report-bot' },
    });
    expect(event?.payload.summary).toMatch(/^Key AKIAEXAMPLEKEY000001/);
    expect(event?.payload.custom_details).toMatchObject({
      key_id: 'AKIAEXAMPLEKEY000001',
      source_ip: '203.0.113.7',
      alert_id: 'kw-pd-1',
    });
  });

  it('maps every keywatch severity onto PagerDuty’s four', async () => {
    await destination.send(
      ['low', 'medium', 'high', 'critical'].map((s, i) => sampleAlert({ id: `kw-sev-${i}`, severity: s as 'low' })),
    );
    expect(pagerduty.events().map((e) => e.payload.severity)).toEqual(['info', 'warning', 'error', 'critical']);
  });

  it('keeps re-deliveries of one alert on one open PagerDuty alert', async () => {
    await destination.send([sampleAlert({ id: 'kw-same' })]);
    await destination.send([sampleAlert({ id: 'kw-same' })]);
    expect(pagerduty.events()).toHaveLength(2);
    expect(pagerduty.openAlerts().size).toBe(1);
  });

  it('cuts the summary to 1024 characters', async () => {
    const results = await destination.send([sampleAlert({ message: 's'.repeat(5000) })]);
    expect(results).toEqual([{ status: 'delivered' }]);
    expect(pagerduty.events()[0]?.payload.summary).toHaveLength(1024);
  });

  it('rejects a 400 with the reason PagerDuty gives in the body', async () => {
    const [result] = await create('too-short').send([sampleAlert()]);
    expect(result).toEqual({
      status: 'rejected',
      reason: "PagerDuty HTTP 400: Event object is invalid: 'routing_key' must be a 32 character string",
    });
  });

  it('retries 429 after the throttle wait (no Retry-After documented) and holds back the rest of the batch', async () => {
    pagerduty.fail({
      kind: 'status',
      status: 429,
      body: '{"status":"throttle event","message":"Requests for this service are arriving too quickly."}',
    });
    const results = await destination.send(sampleAlerts(2, 'kw-pd-429'));
    expect(results[0]).toMatchObject({ status: 'retry', retryAfterMs: 30_000 });
    expect(results[1]).toMatchObject({ status: 'retry', retryAfterMs: 30_000 });
    expect(pagerduty.requests).toHaveLength(1);
  });

  it('honours a Retry-After header when PagerDuty sends one', async () => {
    pagerduty.fail({ kind: 'status', status: 429, body: '{}', headers: { 'retry-after': '3' } });
    const [result] = await destination.send([sampleAlert()]);
    expect(result).toMatchObject({ status: 'retry', retryAfterMs: 3000 });
  });

  it('retries 5xx, timeouts and connection resets', async () => {
    pagerduty.fail({ kind: 'status', status: 503, body: 'unavailable' }, { kind: 'slow', delayMs: 2000 }, { kind: 'reset' });
    const results = await destination.send(sampleAlerts(3, 'kw-pd-5xx'));
    expect(results.map((r) => r.status)).toEqual(['retry', 'retry', 'retry']);
    expect(results[1]).toEqual({ status: 'retry', reason: 'timeout: no response within 500 ms' });
  });
});

const KIBANA = "https://kibana.example.com/app/discover#/?_a=(query:(language:kuery,query:'keywatch.alert.id:{alert_id}'))";

describe('PagerDuty links back to the alert', () => {
  it('expands each configured template per alert, URL-encoded, before the report link', async () => {
    const links = destinationsConfigSchema.parse({
      oncall: {
        kind: 'pagerduty',
        routingKey: 'env:PD',
        links: [
          { href: KIBANA, text: 'Open in Kibana' },
          { href: 'https://kw.example.com/keys/{key_id}?at={timestamp}&r={rule}' },
        ],
      },
    }).oncall;
    if (links?.kind !== 'pagerduty') throw new Error('expected a pagerduty destination');
    const alert = { ...sampleAlert({ id: 'kw-link-1', keyId: 'gw/key?x=1#frag' }) };
    alert.event = { ...alert.event, reference: 'https://kw.example.com/report/keys/abc.html' };
    expect(await create(ROUTING_KEY, links.links).send([alert])).toEqual([{ status: 'delivered' }]);
    expect(pagerduty.events()[0]?.links).toEqual([
      { href: KIBANA.replace('{alert_id}', 'kw-link-1'), text: 'Open in Kibana' },
      // The key id is log text: encoded, it cannot add a path, query or fragment of its own.
      {
        href: 'https://kw.example.com/keys/gw%2Fkey%3Fx%3D1%23frag?at=2026-03-04T02%3A17%3A09.000Z&r=new_country',
        text: 'Open the alert',
      },
      { href: 'https://kw.example.com/report/keys/abc.html', text: 'keywatch: what this key normally does' },
    ]);
  });

  it('sends no links field when none is configured and the alert has no report link', async () => {
    await destination.send([sampleAlert({ id: 'kw-nolink' })]);
    expect(pagerduty.events()[0]).not.toHaveProperty('links');
  });

  it('refuses a template that can never give a link, naming the field', () => {
    const problems = (href: string) => {
      const parsed = destinationsConfigSchema.safeParse({
        oncall: { kind: 'pagerduty', routingKey: 'env:PD', links: [{ href }] },
      });
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(problems('https://kibana.example.com/a/{alertid}')).toEqual([
      'oncall.links.0.href: unknown placeholder {alertid}; known: {alert_id}, {event_id}, {key_id}, {rule}, {severity}, {timestamp}',
    ]);
    expect(problems('{alert_id}')).toEqual(['oncall.links.0.href: is not a URL once its placeholders are filled']);
    expect(problems('javascript:alert({alert_id})')).toEqual(['oncall.links.0.href: must be an http(s) URL, not javascript:']);
    expect(problems('https://k.example.com/{alert_id')).toEqual(['oncall.links.0.href: unbalanced "{" or "}"']);
    expect(problems('https://user:pw@k.example.com/{alert_id}')).toEqual(['oncall.links.0.href: must not contain credentials']);
    expect(problems('https://k.example.com/{alert_id}')).toEqual([]);
  });
});
