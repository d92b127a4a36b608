import { describe, expect, it } from 'vitest';
import { type DetectResult, detect, withDefaults } from '../src/index.ts';
import { at, feed } from './helpers.ts';
import { burst, sessions } from './histories.ts';

const ABROAD = {
  country: 'BR',
  region: 'SP',
  city: 'Sao Paulo',
  latitude: -23.5,
  longitude: -46.6,
  asn: 28573,
  asOrg: 'Claro',
  network: 'isp' as const,
};
const rules = (r: DetectResult) => r.findings.map((f) => f.detector).sort();

describe('dormant_key', () => {
  // Four weeks of a key used every working day.
  const daily = feed(sessions({ days: 26, seed: 21 })).profile!; // Mon 2 March to Fri 27 March

  it('fires when a daily key wakes up after 10 days from somewhere new, far past its longest usual gap (a weekend)', () => {
    expect(daily.longestGap / 86400).toBeLessThan(3.5);
    const r = detect(at('2026-04-07T10:00:00Z', { userAgent: 'python-requests/2.31.0' }), daily, withDefaults());
    expect(rules(r)).toEqual(['dormant_key', 'new_user_agent']);
    expect(r.findings.find((f) => f.detector === 'dormant_key')!.evidence.idle_days).toBe(10);
    // The same return from its own client and network is a pause: context, not an alert.
    const pause = detect(at('2026-04-07T10:00:00Z'), daily, withDefaults());
    expect(rules(pause)).toEqual([]);
    expect(pause.riskScore).toBe(30);
  });

  it('stays quiet after a long weekend or a short week off of the same key', () => {
    expect(rules(detect(at('2026-03-31T10:00:00Z'), daily, withDefaults()))).toEqual([]);
  });

  it('scales with the key: one that often pauses for a week is not dormant after ten days', () => {
    // Active a few days, quiet 6-7 days, again: its longest gap is a week.
    const bursts = [0, 9, 18, 27, 36].flatMap((d) =>
      sessions({
        days: 3,
        startDay: new Date(Date.parse('2026-03-02T00:00:00Z') + d * 86400_000).toISOString().slice(0, 10),
        seed: d,
      }),
    );
    const p = feed(bursts).profile!;
    const quietTen = detect(at(new Date(p.lastSeen * 1000 + 10 * 86400_000).toISOString()), p, withDefaults());
    expect(rules(quietTen)).toEqual([]);
  });

  it('uses the 30-day fallback for irregular keys, and an absolute floor that is configurable', () => {
    const few = feed([at('2026-03-02T10:00:00Z'), at('2026-03-03T10:00:00Z'), at('2026-03-05T10:00:00Z')]).profile!;
    expect(rules(detect(at('2026-03-25T10:00:00Z'), few, withDefaults()))).toEqual([]);
    expect(rules(detect(at('2026-04-06T10:00:00Z'), few, withDefaults()))).toEqual(['dormant_key']);
    const strict = withDefaults({ detectors: { dormant_key: { fallbackDays: 14 } } });
    expect(rules(detect(at('2026-03-25T10:00:00Z'), few, strict))).toEqual(['dormant_key']);
    const lenient = withDefaults({ detectors: { dormant_key: { floorDays: 14 } } });
    expect(rules(detect(at('2026-04-07T10:00:00Z'), daily, lenient))).toEqual([]);
  });

  it('judges a young daily key by its rhythm: five days of use, ten days of silence, then a new network alerts', () => {
    // A job that ran every working day for one week (Mon 2 to Fri 6 March) and was switched off.
    const young = feed(sessions({ days: 5, seed: 22 })).profile!;
    expect(young.activeDays).toBe(5);
    const woken = detect(at('2026-03-17T10:00:00Z', { sourceIp: '177.10.1.1' }, ABROAD), young, withDefaults());
    expect(rules(woken)).toContain('dormant_key');
    // From its own client and network, the same silence is a pause: context only.
    const pause = detect(at('2026-03-17T10:00:00Z'), young, withDefaults());
    expect(rules(pause)).toEqual([]);
    expect(pause.riskScore).toBeGreaterThan(0);
  });

  it('a low-volume key that never finished learning still leaves learning, and its return from abroad alerts', () => {
    // Eight calls over two weeks: never the 50 calls of the learning period.
    const quiet = feed(
      Array.from({ length: 8 }, (_, i) => at(new Date(Date.parse('2026-03-02T10:00:00Z') + i * 2 * 86400_000).toISOString())),
    ).profile!;
    const back = detect(at('2026-05-10T10:00:00Z', { sourceIp: '177.10.1.1' }, ABROAD), quiet, withDefaults());
    expect(rules(back)).toEqual(['dormant_key', 'new_country']);
  });
});

describe('failure_spike', () => {
  const denied = (n: number, iso: string) =>
    burst(n, iso, 20, { action: 'iam:ListUsers', outcome: 'failure', errorCode: 'AccessDenied' });
  const clean = feed(sessions({ days: 14, seed: 31 })).profile!;

  it('fires on a burst of denials from a key that is rarely denied', () => {
    const r = feed(denied(12, '2026-03-16T10:00:00Z'), clean);
    const spikes = r.findings.filter((f) => f.detector === 'failure_spike');
    expect(spikes.filter((f) => f.opened)).toHaveLength(1);
    expect(spikes[0]!.evidence.tail_probability).toBeLessThan(1e-6);
  });

  it('stays quiet for a key whose own share of denials is high (a misconfigured job it always had)', () => {
    // Every working hour a handful of calls, half of them denied.
    const noisy = feed(
      Array.from({ length: 10 }, (_, d) =>
        Array.from({ length: 8 }, (_, h) =>
          burst(6, new Date(Date.parse('2026-03-02T09:00:00Z') + d * 86400_000 + h * 3600_000).toISOString(), 30).map((i, k) =>
            k % 2 === 0 ? { ...i, event: { ...i.event, outcome: 'failure' as const, errorCode: 'AccessDenied' } } : i,
          ),
        ),
      ).flat(2),
    ).profile!;
    expect(noisy.failureRate).toBeGreaterThan(0.3);
    const r = feed(
      burst(24, '2026-03-16T10:00:00Z', 20).map((i, k) =>
        k % 2 === 0 ? { ...i, event: { ...i.event, outcome: 'failure' as const, errorCode: 'AccessDenied' } } : i,
      ),
      noisy,
    );
    expect(r.findings.filter((f) => f.detector === 'failure_spike')).toEqual([]);
  });

  it('does not count throttling', () => {
    const r = feed(burst(30, '2026-03-16T10:00:00Z', 10, { outcome: 'failure', errorCode: 'ThrottlingException' }), clean);
    expect(r.findings.filter((f) => f.detector === 'failure_spike')).toEqual([]);
  });
});
