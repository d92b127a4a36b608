import { Secret } from '@keywatch/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakePagerDuty, startFakePagerDuty } from '../../../test/fakes/pagerduty-fake.ts';
import { sampleAlert, sampleAlerts } from '../../../test/fakes/sample-alert.ts';
import { PagerDutyDestination } from '../src/index.ts';

const ROUTING_KEY = '0123456789abcdef0123456789abcdef';
let pagerduty: FakePagerDuty;
let destination: PagerDutyDestination;

function create(routingKey = ROUTING_KEY) {
  return new PagerDutyDestination({
    name: 'oncall',
    routingKey: new Secret(routingKey, 'test'),
    url: pagerduty.enqueueUrl,
    timeoutMs: 500,
    throttleWaitMs: 30_000,
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
