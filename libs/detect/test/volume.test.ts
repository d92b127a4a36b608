import { describe, expect, it } from 'vitest';
import { actionBit, closeActionHour } from '../src/detectors/actions.ts';
import { studentTQuantile } from '../src/detectors/stats.ts';
import { type DetectInput, type Profile, teachBenign, withDefaults } from '../src/index.ts';
import { feed } from './helpers.ts';
import { burst, busiestHour, sessions, steady } from './histories.ts';

const spikes = (r: { findings: { detector: string; opened: boolean }[] }) =>
  r.findings.filter((f) => f.detector === 'volume_spike' && f.opened);

describe('volume_spike', () => {
  // Three weeks of a team working in sessions of 5-150 calls: hourly counts from a handful to a few hundred.
  const history = sessions({ days: 21, seed: 11 });
  const bursty = feed(history).profile!;
  const peak = busiestHour(history);
  const usual = Math.exp(bursty.volume.logMean);

  it('learns the distribution of calls per active hour on a log scale', () => {
    expect(bursty.volume.hours).toBeGreaterThan(24);
    expect(usual).toBeGreaterThan(10);
    // Over-dispersed: busy hours spread well above the typical one (sd > 0.5 on the log scale, i.e. 1.6×).
    expect(Math.sqrt(2 * bursty.volume.logUpperSq)).toBeGreaterThan(0.5);
  });

  it('stays quiet when a bursty key has a session twice its busiest hour', () => {
    expect(spikes(feed(burst(2 * peak, '2026-03-23T10:00:00Z', 1200 / (2 * peak)), bursty))).toEqual([]);
  });

  it('fires once on exfiltration at 10x its busiest hour, with the multiples in the reason', () => {
    const n = 10 * peak;
    const r = feed(burst(n, '2026-03-23T10:00:00Z', 3000 / n), bursty);
    expect(spikes(r)).toHaveLength(1);
    // The burst's findings (the whole key's hour, and its one action's own hours) join one alert.
    const reasons = r.findings.filter((f) => f.detector === 'volume_spike').map((f) => f.reason);
    expect(reasons.some((reason) => /× its typical hour and .*× its usual peak/.test(reason))).toBe(true);
  });

  it('does not count throttled retries: a rate-limit storm is quiet, the same calls succeeding fire', () => {
    const bot = feed(steady(14, 1)).profile!; // 60 calls an hour around the clock
    const throttled = { outcome: 'failure' as const, errorCode: 'ThrottlingException' };
    // 600 retries refused for their rate within the hour, on top of the key's 60 calls that went through.
    const storm = [...burst(600, '2026-03-16T10:00:00Z', 5, throttled), ...burst(60, '2026-03-16T10:00:03Z', 60)];
    storm.sort((a, b) => Date.parse(a.event.time) - Date.parse(b.event.time));
    expect(spikes(feed(storm, bot))).toEqual([]);
    // Other failures still count (a scan that is denied is still a scan), and so does the same number of successes.
    const denied = { outcome: 'failure' as const, errorCode: 'AccessDenied' };
    expect(spikes(feed(burst(600, '2026-03-16T10:00:00Z', 5, denied), bot))).toHaveLength(1);
    expect(spikes(feed(burst(600, '2026-03-16T10:00:00Z', 5), bot))).toHaveLength(1);
  });

  it('sees a burst that straddles two clock hours as one hour of calls', () => {
    const bot = feed(steady(14, 1)).profile!; // 60 calls an hour around the clock
    // 300 calls from 10:45 to 11:15: 150 in each clock hour, 300 within one sliding hour (5x its hour).
    expect(spikes(feed(burst(300, '2026-03-16T10:45:00Z', 6), bot))).toHaveLength(1);
    // Half of it, within one clock hour (2.5x its hour), stays below the threshold.
    expect(spikes(feed(burst(150, '2026-03-16T10:45:00Z', 6), bot))).toEqual([]);
  });

  it('fires on 10x the usual hour of a steady bot, and not on its normal variation', () => {
    const bot = feed(steady(14, 1)).profile!; // 60 calls an hour around the clock
    expect(spikes(feed(burst(90, '2026-03-16T10:00:00Z', 30), bot))).toEqual([]);
    expect(spikes(feed(burst(600, '2026-03-16T10:00:00Z', 5), bot))).toHaveLength(1);
  });

  it('alerts once even when the burst runs on into the next clock hour', () => {
    const n = 20 * peak;
    // 90 minutes of exfiltration over two clock hours: whatever crosses in the second hour joins the first alert.
    const r = feed(burst(n, '2026-03-23T10:30:00Z', 5400 / n), bursty);
    const all = r.findings.filter((f) => f.detector === 'volume_spike');
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(all.filter((f) => f.opened)).toHaveLength(1);
  });

  it('does not learn an alerted hour as normal: the next exfiltration fires too', () => {
    const n = 12 * peak;
    const first = feed(burst(n, '2026-03-23T10:00:00Z', 3000 / n), bursty).profile!;
    const between = feed(sessions({ days: 1, startDay: '2026-03-24', seed: 12 }), first).profile!;
    expect(spikes(feed(burst(n, '2026-03-25T10:00:00Z', 3000 / n), between))).toHaveLength(1);
  });

  it('judges a key with few active hours only against large multiples of its peak', () => {
    const options = withDefaults({ learning: { minEvents: 10, minDays: 0 } });
    // A nightly job: one hour of about 120 calls a night, four nights.
    const nightly = [0, 1, 2, 3].flatMap((d) => burst(120, `2026-03-0${2 + d}T01:10:00Z`, 20));
    const young: Profile = feed(nightly, null, options).profile!;
    expect(young.volume.hours).toBe(3); // the fourth hour is still open
    expect(spikes(feed(burst(500, '2026-03-07T01:10:00Z', 5), young, options))).toEqual([]);
    expect(spikes(feed(burst(3000, '2026-03-07T01:10:00Z', 1), young, options))).toHaveLength(1);
    // With fewer than minActiveHours hours, nothing is judged.
    const strict = withDefaults({ learning: { minEvents: 10, minDays: 0 }, detectors: { volume_spike: { minActiveHours: 8 } } });
    expect(spikes(feed(burst(3000, '2026-03-07T01:10:00Z', 1), young, strict))).toEqual([]);
  });

  it('never fires below minCalls, and minCalls is configurable', () => {
    const quiet = feed(steady(14, 60)).profile!; // one call an hour
    expect(spikes(feed(burst(40, '2026-03-16T10:00:00Z', 60), quiet))).toEqual([]);
    const low = withDefaults({ detectors: { volume_spike: { minCalls: 20 } } });
    expect(spikes(feed(burst(40, '2026-03-16T10:00:00Z', 60), quiet, low))).toHaveLength(1);
  });

  it('takes its prediction bound from Student t quantiles (heavier tails for short histories)', () => {
    // Reference values from numerical integration of the t density.
    expect(studentTQuantile(0.999, 10)).toBeCloseTo(4.144, 2);
    expect(studentTQuantile(0.99999, 20)).toBeCloseTo(5.543, 2);
    expect(studentTQuantile(0.99999, 100)).toBeCloseTo(4.478, 2);
    expect(Math.abs(studentTQuantile(0.99999, 8) / 8.907 - 1)).toBeLessThan(0.01);
  });
});

describe('volume_spike on an action the key never used', () => {
  // Three weeks of sessions calling s3:GetObject only, then a burst of dynamodb:Scan.
  const history = sessions({ days: 21, seed: 11 });
  const bursty = feed(history).profile!;
  const scan = { action: 'dynamodb:Scan' };
  // Between the usual peak and the 3× floor of the whole key's bound: only the action is new.
  const n = Math.ceil(1.5 * bursty.volume.peak);

  it('fires on a never-used action as busy in its first hour as the key at its peak, once', () => {
    expect(n).toBeGreaterThanOrEqual(50);
    expect(spikes(feed(burst(n, '2026-03-23T10:00:00Z', 1800 / n, scan), bursty))).toHaveLength(1);
    const f = feed(burst(n, '2026-03-23T10:00:00Z', 1800 / n, scan), bursty).findings.find((x) => x.opened)!;
    expect(f.reason).toMatch(
      /calls of dynamodb:Scan within \d+ minutes of first calling it, an action it had not used in 20 days/,
    );
    expect(f.evidence).toMatchObject({ fresh_action: true, action: 'dynamodb:Scan', known_actions: 1 });
    // The same calls of the action it always uses are within its bursty sessions.
    expect(spikes(feed(burst(n, '2026-03-23T10:00:00Z', 1800 / n), bursty))).toEqual([]);
  });

  it('stays quiet when a release adds a call beside part of the work: below the usual peak', () => {
    const share = Math.floor(0.5 * bursty.volume.peak);
    expect(spikes(feed(burst(share, '2026-03-23T10:00:00Z', 1800 / share, scan), bursty))).toEqual([]);
    // Once known, the action is judged with the rest of the key's volume (its first hour is over).
    const known = feed(burst(share, '2026-03-23T10:00:00Z', 1800 / share, scan), bursty).profile!;
    expect(spikes(feed(burst(n, '2026-03-23T12:00:00Z', 1800 / n, scan), known))).toEqual([]);
  });

  it('does not count throttled calls of the new action', () => {
    const throttled = { ...scan, outcome: 'failure' as const, errorCode: 'ThrottlingException' };
    expect(spikes(feed(burst(n, '2026-03-23T10:00:00Z', 1800 / n, throttled), bursty))).toEqual([]);
  });

  it('judges only a vocabulary recorded for vocabularyDays: young keys and upgraded profiles wait', () => {
    // Four days of the same sessions (Monday to Thursday), judged on the Friday.
    const young = feed(sessions({ days: 4, seed: 11 })).profile!;
    expect(spikes(feed(burst(n, '2026-03-06T10:00:00Z', 1800 / n, scan), young))).toEqual([]);
    // A profile stored before actions were recorded starts recording at its next call.
    const { actions: _, ...upgraded } = bursty;
    const r = feed(burst(n, '2026-03-23T10:00:00Z', 1800 / n, scan), upgraded);
    expect(spikes(r)).toEqual([]);
    expect(r.profile!.actions!.since).toBe(Date.parse('2026-03-23T10:00:00Z') / 1000);
    const short = withDefaults({ detectors: { volume_spike: { vocabularyDays: 3 } } });
    expect(spikes(feed(burst(n, '2026-03-06T10:00:00Z', 1800 / n, scan), young, short))).toHaveLength(1);
  });

  it('does not judge keys that call many different actions (a new one is routine, and bits collide)', () => {
    const using = (count: number) => {
      const actions = Array.from({ length: count }, (_, i) => `svc${i}:Describe`);
      return feed(history.map((x, i) => ({ ...x, event: { ...x.event, action: actions[i % count]! } }))).profile!;
    };
    expect(spikes(feed(burst(n, '2026-03-23T10:00:00Z', 1800 / n, scan), using(40)))).toEqual([]);
    expect(spikes(feed(burst(n, '2026-03-23T10:00:00Z', 1800 / n, scan), using(12)))).toHaveLength(1);
  });
});

describe('volume_spike on one action the key already uses', () => {
  // Three weeks of sessions: seven in eight calls dynamodb:Query, one in eight s3:GetObject.
  const as =
    (action: string) =>
    (x: DetectInput): DetectInput => ({ ...x, event: { ...x.event, action } });
  const history = sessions({ days: 21, seed: 11 }).map((x, i) => as(i % 8 === 0 ? 's3:GetObject' : 'dynamodb:Query')(x));
  const mixed = feed(history).profile!;
  const get = { action: 's3:GetObject' };
  const peakOf = (p: Profile, action: string) => p.actions!.peaks.find((x) => x.bit === actionBit(action))!.peak;
  const needed = (p: Profile) => Math.max(50, 10 * peakOf(p, 's3:GetObject'), Math.ceil(p.volume.peak));
  const n = needed(mixed);
  const at = '2026-03-23T10:00:00Z';

  it("fires once when one action runs at 10× its own busiest hour, below the whole key's bound", () => {
    expect(n).toBeLessThan(mixed.volume.threshold);
    const r = feed(burst(n, at, 1800 / n, get), mixed);
    expect(spikes(r)).toHaveLength(1);
    const f = r.findings.find((x) => x.opened)!;
    expect(f.reason).toMatch(
      /^made \d+ calls of s3:GetObject in this clock hour, \d+\.\d× the busiest hour it has had for that action$/,
    );
    expect(f.evidence).toMatchObject({ action: 's3:GetObject', action_peak: peakOf(mixed, 's3:GetObject'), calls: n });
    // One call fewer stays quiet.
    expect(spikes(feed(burst(n - 1, at, 1800 / n, get), mixed))).toEqual([]);
  });

  it('stays quiet for the same calls of the action the key mostly makes (within its own swings)', () => {
    expect(spikes(feed(burst(n, at, 1800 / n, { action: 'dynamodb:Query' }), mixed))).toEqual([]);
  });

  it('waits until the action has been used vocabularyDays', () => {
    // The same key, calling s3:GetObject only in its last three days.
    const late = history.map((x) =>
      Date.parse(x.event.time) < Date.parse('2026-03-18T00:00:00Z') ? as('dynamodb:Query')(x) : x,
    );
    const p = feed(late).profile!;
    const m = needed(p);
    expect(spikes(feed(burst(m, at, 1800 / m, get), p))).toEqual([]);
    const short = withDefaults({ detectors: { volume_spike: { vocabularyDays: 3 } } });
    expect(spikes(feed(burst(m, at, 1800 / m, get), p, short))).toHaveLength(1);
  });

  it('stays quiet once the burst is marked benign', () => {
    const facts = {
      alertId: 'a1',
      keyId: 'k',
      rule: 'volume_spike' as const,
      ip: null,
      country: null,
      asn: null,
      userAgent: null,
    };
    const taught = teachBenign(
      mixed,
      { ...facts, action: 's3:GetObject', time: null, calls: n, failures: null },
      Date.parse(at) / 1000,
      withDefaults(),
    );
    expect(peakOf(taught, 's3:GetObject')).toBe(n);
    expect(spikes(feed(burst(n, '2026-03-24T10:00:00Z', 1800 / n, get), taught))).toEqual([]);
  });

  it("keeps each action's busiest hour, growing at most 1.25× per finished hour once it has one", () => {
    const v = mixed.actions!;
    const bit = actionBit('s3:GetObject');
    const withCount = (count: number, peak: number) => ({
      ...v,
      peaks: v.peaks.map((x) => (x.bit === bit ? { ...x, peak, count } : { ...x, count: 0 })),
    });
    const closed = (count: number, peak: number) =>
      closeActionHour(withCount(count, peak), 1.25)!.peaks.find((x) => x.bit === bit)!;
    expect(closed(100, 10)).toMatchObject({ peak: 13, count: 0 });
    expect(closed(7, 10)).toMatchObject({ peak: 10, count: 0 });
    // Its first finished hour enters whole.
    expect(closed(100, 0)).toMatchObject({ peak: 100, count: 0 });
  });
});
