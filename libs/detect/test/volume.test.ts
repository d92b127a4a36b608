import { describe, expect, it } from 'vitest';
import { type Profile, withDefaults } from '../src/index.ts';
import { feed } from './helpers.ts';
import { burst, busiestHour, sessions, steady } from './histories.ts';

const spikes = (r: { findings: { detector: string; opened: boolean }[] }) =>
  r.findings.filter((f) => f.detector === 'volume_spike' && f.opened);

describe('volume_spike', () => {
  // Three weeks of a team working in sessions of 5-150 calls: hourly counts from a handful to a few hundred.
  const history = sessions({ days: 21, seed: 11 });
  const bursty = feed(history).profile!;
  const peak = busiestHour(history);
  const usual = bursty.volume.mean;

  it('learns the distribution of calls per active hour', () => {
    expect(bursty.volume.hours).toBeGreaterThan(24);
    expect(bursty.volume.mean).toBeGreaterThan(10);
    // Over-dispersed: the variance is far above the mean (a Poisson key would have them equal).
    expect(bursty.volume.meanSq - bursty.volume.mean ** 2).toBeGreaterThan(5 * bursty.volume.mean);
  });

  it('stays quiet when a bursty key has a session twice its busiest hour', () => {
    expect(spikes(feed(burst(2 * peak, '2026-03-23T10:00:00Z', 1200 / (2 * peak)), bursty))).toEqual([]);
  });

  it('fires once on exfiltration at 20x its usual hour, with the multiples in the reason', () => {
    const n = Math.round(20 * usual);
    const r = feed(burst(n, '2026-03-23T10:00:00Z', 3000 / n), bursty);
    expect(spikes(r)).toHaveLength(1);
    expect(r.findings.find((f) => f.detector === 'volume_spike')!.reason).toMatch(/× its usual hour and .*× its usual peak/);
  });

  it('fires on 10x the usual hour of a steady bot, and not on its normal variation', () => {
    const bot = feed(steady(14, 1)).profile!; // 60 calls an hour around the clock
    expect(spikes(feed(burst(90, '2026-03-16T10:00:00Z', 30), bot))).toEqual([]);
    expect(spikes(feed(burst(600, '2026-03-16T10:00:00Z', 5), bot))).toHaveLength(1);
  });

  it('alerts once per clock hour even when the burst runs on', () => {
    const n = Math.round(80 * usual);
    // 90 minutes of exfiltration over two clock hours: whatever crosses in the second hour joins the first alert.
    const r = feed(burst(n, '2026-03-23T10:30:00Z', 5400 / n), bursty);
    const all = r.findings.filter((f) => f.detector === 'volume_spike');
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(all.filter((f) => f.opened)).toHaveLength(1);
  });

  it('does not learn an alerted hour as normal: the next exfiltration fires too', () => {
    const n = Math.round(20 * usual);
    const first = feed(burst(n, '2026-03-23T10:00:00Z', 3000 / n), bursty).profile!;
    const between = feed(sessions({ days: 1, startDay: '2026-03-24', seed: 12 }), first).profile!;
    expect(spikes(feed(burst(n, '2026-03-25T10:00:00Z', 3000 / n), between))).toHaveLength(1);
  });

  it('needs a day of active hours before trusting the distribution', () => {
    const young: Profile = feed(sessions({ days: 3, seed: 13 }), null, withDefaults({ learning: { minEvents: 10, minDays: 0 } }))
      .profile!;
    const r = feed(burst(2000, '2026-03-05T10:00:00Z', 1), young, withDefaults({ learning: { minEvents: 10, minDays: 0 } }));
    expect(young.volume.hours).toBeLessThan(24);
    expect(spikes(r)).toEqual([]);
  });

  it('never fires below minCalls, and minCalls is configurable', () => {
    const quiet = feed(steady(14, 60)).profile!; // one call an hour
    expect(spikes(feed(burst(40, '2026-03-16T10:00:00Z', 60), quiet))).toEqual([]);
    const low = withDefaults({ detectors: { volume_spike: { minCalls: 20 } } });
    expect(spikes(feed(burst(40, '2026-03-16T10:00:00Z', 60), quiet, low))).toHaveLength(1);
  });
});
