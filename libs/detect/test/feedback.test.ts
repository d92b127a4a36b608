import { timeContext } from '@keywatch/enrich';
import { describe, expect, it } from 'vitest';
import {
  type AlertFacts,
  benignSuppression,
  detect,
  type Suppression,
  teachBenign,
  unlearnMalicious,
  withDefaults,
} from '../src/index.ts';
import { at, feed, HOME, history, KEY } from './helpers.ts';

const ABROAD = {
  ...HOME,
  country: 'PT',
  city: 'Lisbon',
  asn: 3243,
  asOrg: 'MEO',
  network: 'isp' as const,
  latitude: 38.7,
  longitude: -9.1,
};
const options = withDefaults();
const learned = () => feed(history(5)).profile!;
const fromLisbon = (iso: string) => at(iso, { sourceIp: '85.240.1.2' }, ABROAD);
const rules = (r: { findings: { detector: string }[] }) => r.findings.map((f) => f.detector);

function facts(over: Partial<AlertFacts> = {}): AlertFacts {
  return {
    alertId: 'a1',
    keyId: KEY,
    rule: 'new_country',
    ip: '85.240.1.2',
    country: 'PT',
    asn: 3243,
    userAgent: null,
    action: 's3:GetObject',
    time: null,
    calls: null,
    failures: null,
    ...over,
  };
}

const suppression = (over: Partial<Suppression>): Suppression => ({
  id: 's1',
  key: null,
  rules: [],
  cidrs: [],
  asns: [],
  countries: [],
  userAgents: [],
  actions: [],
  expires: null,
  reason: 'test',
  ...over,
});

describe('suppressions', () => {
  it('drop matching findings, per key or global, until they expire', () => {
    const p = learned();
    const now = Date.parse('2026-03-09T10:00:00Z') / 1000;
    const s = suppression({ key: KEY, rules: ['new_country'], countries: ['PT'], expires: now + 3600 });
    const r = detect(fromLisbon('2026-03-09T10:00:00Z'), p, options, [s]);
    expect(rules(r)).toEqual([]);
    expect(r.suppressed).toEqual([{ detector: 'new_country', suppressionId: 's1' }]);
    expect(rules(detect(fromLisbon('2026-03-09T12:00:00Z'), p, options, [s]))).toEqual(['new_country']);
  });

  it('match only when every listed criterion matches', () => {
    const p = learned();
    const wrongCountry = suppression({ countries: ['ES'] });
    const otherKey = suppression({ key: 'AKIAOTHER', countries: ['PT'] });
    const byAsnAndAction = suppression({ asns: [3243], actions: ['s3:Get*'] });
    expect(rules(detect(fromLisbon('2026-03-09T10:00:00Z'), p, options, [wrongCountry, otherKey]))).toEqual(['new_country']);
    expect(rules(detect(fromLisbon('2026-03-09T10:00:00Z'), p, options, [byAsnAndAction]))).toEqual([]);
  });
});

describe('feedback', () => {
  it('--benign teaches the baseline: the same pattern stops alerting', () => {
    const p = learned();
    const first = detect(fromLisbon('2026-03-09T10:00:00Z'), p, options);
    expect(rules(first)).toEqual(['new_country']);
    const taught = teachBenign(p, facts(), Date.parse('2026-03-09T11:00:00Z') / 1000, options);
    expect(rules(detect(fromLisbon('2026-03-10T10:00:00Z'), taught, options))).toEqual([]);
  });

  it('--malicious unlearns what the attack taught the profile', () => {
    const afterAttack = feed([fromLisbon('2026-03-09T10:00:00Z')], learned()).profile!;
    expect(rules(detect(fromLisbon('2026-03-10T10:00:00Z'), afterAttack, options))).toEqual([]);
    const cleaned = unlearnMalicious(afterAttack, facts());
    expect(rules(detect(fromLisbon('2026-03-10T10:00:00Z'), cleaned, options))).toEqual(['new_country']);
  });

  it('--benign on off_hours makes that hour normal', () => {
    const p = feed(history(14)).profile!;
    const night = at('2026-03-17T03:10:00Z');
    expect(rules(detect(night, p, options))).toEqual(['off_hours']);
    const taught = teachBenign(p, facts({ rule: 'off_hours', time: timeContext('2026-03-17T03:10:00Z', 'UTC') }), 0, options);
    expect(rules(detect(night, taught, options))).toEqual([]);
  });

  it("--malicious on off_hours takes the attacker's hour out again", () => {
    const p = feed(history(14)).profile!;
    const attacked = detect(at('2026-03-17T03:10:00Z'), p, options).profile;
    const nextWeek = at('2026-03-24T03:20:00Z');
    expect(rules(detect(nextWeek, attacked, options))).toEqual([]);
    const cleaned = unlearnMalicious(attacked, facts({ rule: 'off_hours', time: timeContext('2026-03-17T03:10:00Z', 'UTC') }));
    expect(rules(detect(nextWeek, cleaned, options))).toEqual(['off_hours']);
  });

  it('a TTL suppression covers the value for that long', () => {
    const now = Date.parse('2026-03-09T11:00:00Z') / 1000;
    const s = benignSuppression(facts(), now, 30 * 86400, 'travel');
    expect(s).toMatchObject({ key: KEY, rules: ['new_country'], countries: ['PT'], expires: now + 30 * 86400 });
    // The country is suppressed; the two weeks of silence before (dormant_key) are another matter.
    expect(rules(detect(fromLisbon('2026-03-20T10:00:00Z'), learned(), options, [s]))).not.toContain('new_country');
    expect(rules(detect(fromLisbon('2026-04-20T10:00:00Z'), learned(), options, [s]))).toContain('new_country');
  });
});
