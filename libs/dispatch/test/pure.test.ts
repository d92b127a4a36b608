import { describe, expect, it } from 'vitest';
import { sampleAlert } from '../../../test/fakes/sample-alert.ts';
import { dispatchConfigSchema, nextDigestAt, retryDelayMs, routeAlert, TokenBucket } from '../src/index.ts';

describe('retryDelayMs', () => {
  const policy = { baseDelayMs: 1000, maxDelayMs: 60_000 };

  it('doubles per attempt between half and all of the exponential delay', () => {
    expect(retryDelayMs(1, policy, () => 0)).toBe(500);
    expect(retryDelayMs(1, policy, () => 0.999999)).toBe(1000);
    expect(retryDelayMs(4, policy, () => 0)).toBe(4000);
    expect(retryDelayMs(4, policy, () => 0.5)).toBe(6000);
  });

  it('is capped', () => {
    expect(retryDelayMs(30, policy, () => 0.999999)).toBe(60_000);
    expect(retryDelayMs(30, policy, () => 0)).toBe(30_000);
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate and never beyond the burst', () => {
    const bucket = new TokenBucket(1, 3, 0);
    expect(bucket.available(0)).toBe(3);
    bucket.take(3, 0);
    expect(bucket.available(0)).toBe(0);
    expect(bucket.nextTokenAt(0)).toBe(1000);
    expect(bucket.available(2500)).toBe(2);
    expect(bucket.available(100_000)).toBe(3);
  });
});

describe('nextDigestAt', () => {
  it('rounds up to the next interval boundary', () => {
    expect(nextDigestAt(3_600_000 * 5 + 1, 3_600_000)).toBe(3_600_000 * 6);
    expect(nextDigestAt(3_600_000 * 5, 3_600_000)).toBe(3_600_000 * 6);
  });
});

describe('routeAlert', () => {
  const { routes } = dispatchConfigSchema.parse({
    routes: [
      { match: { minSeverity: 'high' }, to: ['pagerduty'] },
      { match: {}, to: ['siem'] },
      { match: { severity: ['medium'], owner: ['payments'] }, to: ['slack-payments'] },
      { match: { detector: ['secret_in_logs'] }, to: ['security-hook'], stop: true },
      { match: { tags: ['team:reports', 'pci'] }, to: ['slack-reports'] },
    ],
  });
  const all = ['pagerduty', 'siem', 'slack-payments', 'security-hook', 'slack-reports'];

  it('sends high and critical to PagerDuty and everything to Elasticsearch', () => {
    expect(routeAlert(sampleAlert({ severity: 'critical', tags: [] }), routes, all)).toEqual(['pagerduty', 'siem']);
    expect(routeAlert(sampleAlert({ severity: 'low', tags: [] }), routes, all)).toEqual(['siem']);
  });

  it('sends medium alerts of an owner to that owner’s Slack channel', () => {
    expect(routeAlert(sampleAlert({ severity: 'medium', owner: 'payments', tags: [] }), routes, all)).toEqual([
      'siem',
      'slack-payments',
    ]);
    expect(routeAlert(sampleAlert({ severity: 'medium', owner: 'reports', tags: [] }), routes, all)).toEqual(['siem']);
    expect(routeAlert(sampleAlert({ severity: 'medium', owner: null, tags: [] }), routes, all)).toEqual(['siem']);
  });

  it('matches any listed tag, and stops at a matching stop route', () => {
    expect(routeAlert(sampleAlert({ severity: 'low', tags: ['pci'] }), routes, all)).toEqual(['siem', 'slack-reports']);
    expect(routeAlert(sampleAlert({ severity: 'low', rule: 'secret_in_logs', tags: ['pci'] }), routes, all)).toEqual([
      'siem',
      'security-hook',
    ]);
  });

  it('sends every alert everywhere when there are no routes', () => {
    expect(routeAlert(sampleAlert(), undefined, all)).toEqual(all);
  });
});
