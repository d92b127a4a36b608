import { describe, expect, it } from 'vitest';
import { type DetectResult, detect, type Profile, RECENT_EVENTS, withDefaults } from '../src/index.ts';
import { at, event, feed, HOME, history, input, keyInfo } from './helpers.ts';
import { burst, sessions } from './histories.ts';

const ABROAD = {
  ...HOME,
  country: 'NL',
  city: 'Amsterdam',
  asn: 14061,
  asOrg: 'DIGITALOCEAN-ASN',
  latitude: 52.4,
  longitude: 4.9,
};
const SAME_COUNTRY_NEW_ASN = { ...HOME, asn: 3320, asOrg: 'Deutsche Telekom AG', network: 'isp' as const };

function learnedProfile(days = 5): Profile {
  return feed(history(days)).profile!;
}

const rules = (fs: { detector: string }[]) => fs.map((f) => f.detector).sort();

describe('learning period', () => {
  it('keeps new-value detectors quiet while a key is young', () => {
    const young = feed(history(1)).profile!; // 16 events, less than 50
    const r = detect(at('2026-03-02T18:00:00Z', { sourceIp: '146.190.1.2' }, ABROAD), young, withDefaults());
    expect(rules(r.findings)).toEqual([]);
  });

  it('speaks once the key has enough events and days', () => {
    const r = detect(at('2026-03-09T10:00:00Z', { sourceIp: '146.190.1.2' }, ABROAD), learnedProfile(), withDefaults());
    expect(rules(r.findings)).toEqual(['new_country']);
    const f = r.findings[0]!;
    expect(f.evidence.also_new).toBe('asn,ip');
    expect(f.reason).toContain('NL');
    expect(f.baseline).toMatch(/countries seen: DE in 80 calls over 7 days of history/);
  });

  it('judges the country a provider reports when it hides the IP (GitHub actor_location)', () => {
    const reported = {
      country: 'NL',
      region: null,
      city: null,
      latitude: null,
      longitude: null,
      asn: null,
      asOrg: null,
      network: 'unknown' as const,
    };
    const r = detect(
      at('2026-03-09T10:00:00Z', { sourceIp: null, sourceCountry: 'NL' }, reported),
      learnedProfile(),
      withDefaults(),
    );
    expect(rules(r.findings)).toEqual(['new_country']);
    expect(r.findings[0]!.reason).toContain('an undisclosed IP (NL)');
    const home = { ...reported, country: 'DE' };
    expect(
      detect(at('2026-03-09T10:00:00Z', { sourceIp: null, sourceCountry: 'DE' }, home), learnedProfile(), withDefaults())
        .findings,
    ).toEqual([]);
  });

  it('respects a shorter learning period when configured', () => {
    const young = feed(history(1)).profile!;
    const opts = withDefaults({ learning: { minEvents: 10, minDays: 0 } });
    const r = detect(at('2026-03-02T16:45:00Z', { sourceIp: '146.190.1.2' }, ABROAD), young, opts);
    expect(rules(r.findings)).toEqual(['new_country']);
  });
});

describe('new network detectors', () => {
  it('report a new ASN in a known country as new_asn, not new_country', () => {
    const r = detect(
      at('2026-03-09T10:00:00Z', { sourceIp: '80.150.1.2' }, SAME_COUNTRY_NEW_ASN),
      learnedProfile(),
      withDefaults(),
    );
    expect(rules(r.findings)).toEqual(['new_asn']);
  });

  it('stay quiet for a new IP in a /24 the key already uses', () => {
    const r = detect(at('2026-03-09T10:00:00Z', { sourceIp: '3.64.1.200' }), learnedProfile(), withDefaults());
    expect(rules(r.findings)).toEqual([]);
  });

  it('treat a new /24 in a known ASN as context: no alert alone, named beside a real finding', () => {
    const alone = detect(at('2026-03-09T10:00:00Z', { sourceIp: '3.70.9.9' }), learnedProfile(), withDefaults());
    expect(rules(alone.findings)).toEqual([]);
    expect(alone.riskScore).toBe(20);
    const withWrite = detect(
      at('2026-03-09T10:00:00Z', { sourceIp: '3.70.9.9', action: 'iam:CreateUser', accessClass: 'write' }),
      learnedProfile(),
      withDefaults(),
    );
    expect(rules(withWrite.findings)).toEqual(['write_on_read_only']);
    expect(withWrite.findings[0]!.evidence.context).toBe('new_ip');
    expect(withWrite.riskScore).toBeGreaterThan(withWrite.findings[0]!.score);
  });

  it('stay quiet for a new /24 in a known ASN when the key already hops between many', () => {
    const hopping = feed(
      Array.from({ length: 80 }, (_, i) =>
        at(new Date(Date.parse('2026-03-02T10:00:00Z') + i * 3600_000).toISOString(), { sourceIp: `3.64.${i % 8}.1` }),
      ),
    ).profile!;
    const r = detect(at('2026-03-09T10:00:00Z', { sourceIp: '3.99.9.9' }), hopping, withDefaults());
    expect(rules(r.findings)).toEqual([]);
  });

  it('treat a value unused for longer than forgetAfterDays as new again', () => {
    const p = learnedProfile();
    const opts = withDefaults({ forgetAfterDays: 30 });
    const nl = feed([at('2026-03-09T10:00:00Z', { sourceIp: '146.190.1.2' }, ABROAD)], p, opts).profile!;
    const soon = detect(at('2026-03-20T10:00:00Z', { sourceIp: '146.190.1.2' }, ABROAD), nl, opts);
    expect(rules(soon.findings)).not.toContain('new_country');
    const later = detect(at('2026-05-20T10:00:00Z', { sourceIp: '146.190.1.3' }, ABROAD), nl, opts);
    expect(rules(later.findings)).toContain('new_country');
  });

  it('fire outside declared countries even during learning', () => {
    const key = keyInfo({ allowedCountries: ['DE'], declared: true });
    const r = detect(input(event({ sourceIp: '146.190.1.2' }), ABROAD, key), null, withDefaults());
    expect(rules(r.findings)).toEqual(['new_country']);
    expect(r.findings[0]!.baseline).toBe('declared countries: DE');
  });

  it('never compare private or missing addresses', () => {
    const r = detect(
      at('2026-03-09T10:00:00Z', { sourceIp: null, sourceAddress: 'AWS Internal' }, null),
      learnedProfile(),
      withDefaults(),
    );
    expect(rules(r.findings)).toEqual([]);
  });
});

describe('write_on_read_only', () => {
  it('fires on any write of a declared read-only key, learning or not', () => {
    const key = keyInfo({ scope: 'read-only', declared: true });
    const r = detect(input(event({ action: 's3:DeleteBucket', accessClass: 'write' }), HOME, key), null, withDefaults());
    expect(rules(r.findings)).toEqual(['write_on_read_only']);
    expect(r.findings[0]!.reason).toContain('declared read-only');
  });

  it('stays quiet for a declared read-write key', () => {
    const key = keyInfo({ scope: 'read-write', declared: true });
    const r = detect(input(event({ accessClass: 'write' }), HOME, key), learnedProfile(), withDefaults());
    expect(rules(r.findings)).toEqual([]);
  });

  it('fires for an undeclared key that never wrote, and not once it has', () => {
    const p = learnedProfile();
    const first = detect(at('2026-03-09T10:00:00Z', { action: 'iam:CreateAccessKey', accessClass: 'write' }), p, withDefaults());
    expect(rules(first.findings)).toEqual(['write_on_read_only']);
    expect(first.findings[0]!.baseline).toMatch(/no write in 80 calls/);
    const writer = feed([at('2026-03-04T10:00:00Z', { accessClass: 'write' })], p).profile!;
    const later = detect(at('2026-03-09T10:00:00Z', { accessClass: 'write' }), writer, withDefaults());
    expect(rules(later.findings)).toEqual([]);
  });
});

describe('off_hours', () => {
  const berlin = keyInfo({
    timezone: 'Europe/Berlin',
    businessHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
    declared: true,
  });
  const offHours = (r: DetectResult) => r.findings.filter((f) => f.detector === 'off_hours');

  it('uses declared business hours in the key timezone, across DST: deep outside alerts, just outside is context', () => {
    // 03:30 UTC is 04:30 in Berlin in winter: four hours before the declared start.
    const night = detect(input(event({ time: '2026-03-27T03:30:00Z' }), HOME, berlin), null, withDefaults());
    expect(rules(night.findings)).toEqual(['off_hours']);
    expect(night.findings[0]!.reason).toContain('04:30 Fri Europe/Berlin');
    // 06:30 UTC is 07:30 in winter (the hour before the declared start: context) but 08:30 in summer (inside).
    const winterEarly = detect(input(event({ time: '2026-03-27T06:30:00Z' }), HOME, berlin), null, withDefaults());
    const summerEarly = detect(input(event({ time: '2026-03-30T06:30:00Z' }), HOME, berlin), null, withDefaults());
    expect(rules(winterEarly.findings)).toEqual([]);
    expect(winterEarly.riskScore).toBeGreaterThan(0);
    expect(summerEarly.riskScore).toBe(0);
  });

  it('treats a late finish of a business-hours key as context, not an alert', () => {
    // A team in UTC declared 09:00-17:00 whose jobs sometimes run until ~17:40.
    const key = keyInfo({ businessHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }, declared: true });
    const p = feed(sessions({ days: 21, key, lateShare: 0.2, seed: 3 })).profile!;
    for (const t of ['17:10', '17:50', '18:40', '19:10']) {
      expect(offHours(detect(at(`2026-03-24T${t}:00Z`, {}, HOME, key), p, withDefaults()))).toEqual([]);
    }
    // The same key at 02:10, from its own network and client: hours it never uses.
    const night = detect(at('2026-03-24T02:10:00Z', {}, HOME, key), p, withDefaults());
    expect(rules(night.findings)).toEqual(['off_hours']);
    expect(night.findings[0]!.evidence.hours_from_usual).toBeGreaterThan(6);
  });

  it('does not fence a declared key out of hours its own history shows (a nightly job)', () => {
    const key = keyInfo({ businessHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }, declared: true });
    const nightly = Array.from({ length: 20 }, (_, d) =>
      at(new Date(Date.parse('2026-03-02T02:05:00Z') + d * 86400_000).toISOString(), {}, HOME, key),
    );
    const p = feed([...sessions({ days: 20, key, seed: 4 }), ...nightly].sort((a, b) => a.event.time.localeCompare(b.event.time)))
      .profile!;
    expect(offHours(detect(at('2026-03-24T02:20:00Z', {}, HOME, key), p, withDefaults()))).toEqual([]);
  });

  it('scores deeper hours and new sources higher', () => {
    const p = feed(sessions({ days: 21, seed: 5 })).profile!;
    const evening = offHours(detect(at('2026-03-24T20:40:00Z'), p, withDefaults()))[0]!;
    const night = offHours(detect(at('2026-03-24T03:10:00Z'), p, withDefaults()))[0]!;
    const nightElsewhere = offHours(
      detect(at('2026-03-24T03:10:00Z', { sourceIp: '146.190.1.2', userAgent: 'curl/8.5.0' }, ABROAD), p, withDefaults()),
    )[0]!;
    expect(evening.score).toBeLessThan(night.score);
    expect(night.score).toBeLessThan(nightElsewhere.score);
    expect(nightElsewhere.evidence.new_client).toBe(true);
    expect(nightElsewhere.evidence.new_network).toBe(true);
  });

  it('learns the hours of an undeclared key, and waits for enough history before judging them', () => {
    const young = feed(sessions({ days: 5, seed: 6 })).profile!;
    expect(offHours(detect(at('2026-03-07T03:10:00Z'), young, withDefaults()))).toEqual([]);
    const p = feed(sessions({ days: 14, seed: 6 })).profile!;
    const night = detect(at('2026-03-17T03:10:00Z'), p, withDefaults());
    expect(rules(night.findings)).toEqual(['off_hours']);
    expect(night.findings[0]!.baseline).toMatch(/weekdays 09-1\dh, never on weekends/);
    expect(offHours(detect(at('2026-03-17T11:10:00Z'), p, withDefaults()))).toEqual([]);
    // An hour next to its working hours is context.
    const early = detect(at('2026-03-17T08:20:00Z'), p, withDefaults());
    expect(offHours(early)).toEqual([]);
    expect(early.riskScore).toBeGreaterThan(0);
  });

  it('judges the learned hours after one full week: a key in its second week is judged at night', () => {
    // Mon 2 to Mon 9 March: six working days over a week, every weekday seen once.
    const week = feed(sessions({ days: 8, seed: 6 })).profile!;
    expect(week.activeDays).toBe(6);
    expect(rules(detect(at('2026-03-10T03:10:00Z'), week, withDefaults()).findings)).toEqual(['off_hours']);
  });

  it('does not call an hour idle that the key has used before', () => {
    const p = feed([...sessions({ days: 14, seed: 7 }), at('2026-03-16T03:00:00Z'), at('2026-03-17T03:30:00Z')]).profile!;
    expect(offHours(detect(at('2026-03-23T03:10:00Z'), p, withDefaults()))).toEqual([]);
  });

  it('keeps a weekend daytime call from the usual network and client as context; a new client alerts', () => {
    const p = feed(sessions({ days: 19, seed: 8 })).profile!;
    // Saturday 11:00 from the key's own network and client: the on-call engineer re-running a job.
    const onCall = detect(at('2026-03-21T11:00:00Z'), p, withDefaults());
    expect(rules(onCall.findings)).toEqual([]);
    expect(onCall.riskScore).toBeGreaterThan(0);
    // The same hour with a hand-run tool: the weekend counts.
    const other = detect(at('2026-03-21T11:00:00Z', { userAgent: 'python-requests/2.31.0' }), p, withDefaults());
    expect(rules(other.findings)).toEqual(['new_user_agent', 'off_hours']);
    expect(other.findings.find((f) => f.detector === 'off_hours')!.reason).toContain('a day it does not work');
    // Saturday at 03:00, an hour the key never works on any day, alerts whatever the source.
    expect(rules(detect(at('2026-03-21T03:00:00Z'), p, withDefaults()).findings)).toEqual(['off_hours']);
  });

  it('keeps a 168-bucket hour-of-week histogram of active clock hours, one count per hour', () => {
    const p = feed([...burst(30, '2026-03-03T10:05:00Z', 60), ...burst(3, '2026-03-07T15:00:00Z', 60)]).profile!;
    expect(p.activity).toHaveLength(168);
    expect(p.activity[24 + 10]).toBe(1); // Tuesday 10:00, 30 calls in one clock hour
    expect(p.activity[5 * 24 + 15]).toBe(1); // Saturday 15:00
    expect(p.activity.reduce((a, b) => a + b, 0)).toBe(2);
  });
});

describe('failure_spike', () => {
  const burst = (code: string, n: number, startIso = '2026-03-09T10:00:00Z') =>
    Array.from({ length: n }, (_, i) =>
      at(new Date(Date.parse(startIso) + i * 10_000).toISOString(), {
        action: 'iam:ListUsers',
        outcome: 'failure',
        errorCode: code,
      }),
    );

  it('fires once for an AccessDenied burst and groups the rest', () => {
    const { findings } = feed(burst('AccessDenied', 30), learnedProfile());
    const spikes = findings.filter((f) => f.detector === 'failure_spike');
    expect(spikes.filter((f) => f.opened)).toHaveLength(1);
    expect(spikes.at(-1)!.count).toBe(spikes.length);
    expect(spikes[0]!.reason).toMatch(/10 of 10 calls denied within 10 minutes/);
  });

  it('ignores throttling bursts', () => {
    const { findings } = feed(burst('ThrottlingException', 40), learnedProfile());
    expect(findings.filter((f) => f.detector === 'failure_spike')).toEqual([]);
  });

  it('needs a minimum count', () => {
    const { findings } = feed(burst('AccessDenied', 9), learnedProfile());
    expect(findings.filter((f) => f.detector === 'failure_spike')).toEqual([]);
  });

  it('compares with the key usual failure share', () => {
    // A key that is denied most of the time (a misconfigured bot) is not spiking.
    const noisy = feed(
      Array.from({ length: 200 }, (_, i) =>
        at(new Date(Date.parse('2026-03-02T10:00:00Z') + i * 60_000).toISOString(), {
          outcome: i % 10 < 8 ? 'failure' : 'success',
          errorCode: i % 10 < 8 ? 'AccessDenied' : null,
        }),
      ),
    ).profile!;
    const { findings } = feed(burst('AccessDenied', 15, '2026-03-02T16:00:00Z'), noisy);
    expect(findings.filter((f) => f.detector === 'failure_spike')).toEqual([]);
  });
});

describe('grouping and alert ids', () => {
  it('joins repeated findings within the window and opens a new alert after it', () => {
    const key = keyInfo({ scope: 'read-only', declared: true });
    const w = (iso: string) => input(event({ time: iso, accessClass: 'write', action: 's3:PutObject' }), HOME, key);
    const { findings } = feed([w('2026-03-09T10:00:00Z'), w('2026-03-09T10:20:00Z'), w('2026-03-09T11:30:00Z')]);
    expect(findings.map((f) => [f.opened, f.count])).toEqual([
      [true, 1],
      [false, 2],
      [true, 1],
    ]);
    expect(findings[1]!.alertId).toBe(findings[0]!.alertId);
    expect(findings[2]!.alertId).not.toBe(findings[0]!.alertId);
  });

  it('is deterministic and never mutates the input profile', () => {
    const p = learnedProfile();
    const frozen = JSON.stringify(p);
    const i = at('2026-03-09T10:00:00Z', { id: 'fixed-id', sourceIp: '146.190.1.2' }, ABROAD);
    const a = detect(i, p, withDefaults());
    const b = detect(i, p, withDefaults());
    expect(a.findings[0]!.alertId).toBe(b.findings[0]!.alertId);
    expect(a.findings[0]!.alertId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(p)).toBe(frozen);
  });

  it('combines the findings of one event into one risk score', () => {
    const key = keyInfo({ scope: 'read-only', declared: true, allowedCountries: ['DE'] });
    const r = detect(input(event({ accessClass: 'write', sourceIp: '146.190.1.2' }), ABROAD, key), null, withDefaults());
    expect(rules(r.findings)).toEqual(['new_country', 'write_on_read_only']);
    expect(r.riskScore).toBeGreaterThan(Math.max(...r.findings.map((f) => f.score)));
    expect(r.riskScore).toBeLessThanOrEqual(100);
  });
});

describe('other detectors', () => {
  it('secret_in_logs names the kind and path, never the value', () => {
    const r = detect(
      at('2026-03-09T10:00:00Z', {
        secrets: [{ kind: 'github_pat', path: 'requestParameters.token', fingerprint: 'abc123abc123' }],
      }),
      null,
      withDefaults(),
    );
    expect(rules(r.findings)).toEqual(['secret_in_logs']);
    expect(r.findings[0]!.reason).toContain('github_pat at requestParameters.token');
  });

  it('dormant_key fires after a long silence', () => {
    const p = learnedProfile();
    expect(rules(detect(at('2026-03-20T10:00:00Z'), p, withDefaults()).findings)).toEqual([]);
    const r = detect(at('2026-05-01T10:00:00Z'), p, withDefaults());
    expect(rules(r.findings)).toEqual(['dormant_key']);
    expect(r.findings[0]!.reason).toMatch(/after 55 days of silence/);
  });

  it('key_age fires past the rotation policy', () => {
    const key = keyInfo({ created: '2025-01-01', rotationDays: 90, declared: true });
    const r = detect(input(event({ time: '2026-03-02T10:00:00Z' }), HOME, key), null, withDefaults());
    expect(rules(r.findings)).toEqual(['key_age']);
    // One reminder per 30 days, not one per call.
    const calls = Array.from({ length: 96 }, (_, i) =>
      input(event({ time: new Date(Date.parse('2026-03-02T00:00:00Z') + i * 1800_000).toISOString() }), HOME, key),
    );
    expect(feed(calls).findings.filter((f) => f.detector === 'key_age' && f.opened)).toHaveLength(1);
    const fresh = keyInfo({ created: '2026-02-01', rotationDays: 90, declared: true });
    expect(detect(input(event(), HOME, fresh), null, withDefaults()).findings).toEqual([]);
  });

  it('new_user_agent ignores an SDK upgrade but flags a new client', () => {
    const p = learnedProfile();
    const upgrade = detect(at('2026-03-09T10:00:00Z', { userAgent: 'aws-sdk-java/2.30.1 Linux/6.1' }), p, withDefaults());
    expect(rules(upgrade.findings)).toEqual([]);
    const curl = detect(at('2026-03-09T10:00:00Z', { userAgent: 'curl/8.5.0' }), p, withDefaults());
    expect(rules(curl.findings)).toEqual(['new_user_agent']);
  });
});

describe('re-delivered events', () => {
  it('are recognised by event id and time and skipped: the profile comes back unchanged, nothing is judged', () => {
    const p = learnedProfile();
    const abroad = input(event({ time: '2026-03-09T10:00:00Z', sourceIp: '146.190.1.1' }), ABROAD);
    const first = detect(abroad, p, withDefaults());
    expect(first.duplicate).toBe(false);
    expect(rules(first.findings)).toEqual(['new_country']);
    const again = detect(abroad, first.profile, withDefaults());
    expect(again).toMatchObject({ duplicate: true, findings: [], riskScore: 0 });
    expect(again.profile).toBe(first.profile);
    // Same id at another time is another event (ids are only unique together with their source's time).
    const moved = detect(input({ ...abroad.event, time: '2026-03-09T10:00:01Z' }, ABROAD), first.profile, withDefaults());
    expect(moved.duplicate).toBe(false);
    expect(moved.profile.events).toBe(first.profile.events + 1);
  });

  it("are recognised among the key's last RECENT_EVENTS.count events within RECENT_EVENTS.seconds, no further", () => {
    const calls = history(5, keyInfo(), 10);
    const { profile } = feed(calls);
    const count = RECENT_EVENTS.count;
    for (const c of calls.slice(-count)) expect(detect(c, profile, withDefaults()).duplicate).toBe(true);
    expect(detect(calls.at(-count - 1)!, profile, withDefaults()).duplicate).toBe(false);
    expect(profile!.recent).toHaveLength(count);
    // A quiet day later, the window has moved past them: only the new call is remembered.
    const later = detect(at('2026-03-12T10:00:00Z'), profile, withDefaults()).profile;
    expect(later.recent).toHaveLength(1);
    expect(detect(calls.at(-1)!, later, withDefaults()).duplicate).toBe(false);
  });

  it('replayed in order, older copies are late and never push the newest out of the recent events', () => {
    const calls = history(5, keyInfo(), 10);
    const { profile } = feed(calls);
    let p = profile!;
    const seen: string[] = [];
    for (const c of calls.slice(-40)) {
      const r = detect(c, p, withDefaults());
      seen.push(r.duplicate ? 'duplicate' : r.late ? 'late' : 'applied');
      p = r.profile;
    }
    expect(seen).toEqual([...new Array(24).fill('late'), ...new Array(16).fill('duplicate')]);
  });
});

describe('late events', () => {
  it("older than the key's latest call are learned, not judged", () => {
    const p = learnedProfile();
    const abroad = (iso: string) => input(event({ time: iso, sourceIp: '146.190.1.1' }), ABROAD);
    const now = detect(at('2026-03-09T10:00:00Z'), p, withDefaults()).profile;
    const late = detect(abroad('2026-03-09T09:59:00Z'), now, withDefaults());
    expect(late).toMatchObject({ late: true, duplicate: false, findings: [], riskScore: 0 });
    expect(late.profile.events).toBe(now.events + 1);
    expect(late.profile.countries).toHaveLength(now.countries.length + 1);
    expect(late.profile.lastSeen).toBe(now.lastSeen);
    // In time order the same call alerts.
    expect(rules(detect(abroad('2026-03-09T10:01:00Z'), now, withDefaults()).findings)).toEqual(['new_country']);
  });
});
