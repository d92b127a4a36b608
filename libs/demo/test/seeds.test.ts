import { describe, expect, it } from 'vitest';
import { EVAL_GOALS, formatSeeds, parseSeeds, type SeedResult, summarizeSeeds } from '../src/index.ts';

function result(seed: number, over: Partial<SeedResult> = {}): SeedResult {
  return {
    seed,
    keys: 10,
    days: 10,
    keyDays: 1000,
    records: 5000,
    alerts: 10,
    truePositives: 10,
    falsePositives: 0,
    expectedPairs: 10,
    foundPairs: 10,
    precision: 1,
    recall: 1,
    f1: 1,
    falseAlertsPer1000KeyDays: 0,
    incidentsByKind: { bulk_exfiltration: { incidents: 2, detected: 2 } },
    alertsOnConfounders: { late_finish: 0 },
    falseAlertsByRule: {},
    seconds: 1,
    ...over,
  };
}

describe('parseSeeds', () => {
  it('reads single seeds and inclusive ranges, each seed once, in order', () => {
    expect(parseSeeds('1-10')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(parseSeeds('7')).toEqual([7]);
    expect(parseSeeds('3, 1-2,3,9')).toEqual([3, 1, 2, 9]);
  });

  it('rejects what is not a seed list, naming the bad part', () => {
    expect(() => parseSeeds('1-x')).toThrow(/"1-x"/);
    expect(() => parseSeeds('')).toThrow(/seeds/);
    expect(() => parseSeeds('5-1')).toThrow(/backwards/);
    expect(() => parseSeeds('1-100000')).toThrow(/at most/);
  });
});

describe('summarizeSeeds', () => {
  it('names the seed with the lowest F1 as the worst, and pools alerts and pairs over all seeds', () => {
    const s = summarizeSeeds([
      result(1),
      result(2, {
        truePositives: 8,
        falsePositives: 2,
        foundPairs: 8,
        precision: 0.8,
        recall: 0.8,
        f1: 0.8,
        falseAlertsPer1000KeyDays: 2,
      }),
      result(3, { f1: 0.96, precision: 0.92, recall: 1, truePositives: 12, falsePositives: 1, falseAlertsPer1000KeyDays: 1 }),
    ]);
    expect(s.worst.seed).toBe(2);
    expect(s.pooled.keyDays).toBe(3000);
    expect(s.pooled.precision).toBeCloseTo(30 / 33);
    expect(s.pooled.recall).toBeCloseTo(28 / 30);
    expect(s.pooled.falseAlertsPer1000KeyDays).toBeCloseTo(1);
    expect(s.meetsGoals).toBe(false);
    expect(s.misses[1]).toEqual([]);
    expect(s.misses[2]).toEqual([expect.stringMatching(/^F1 80\.0%/), expect.stringMatching(/^2\.00 false alerts/)]);
    expect(s.misses[3]).toEqual([]);
  });

  it('breaks an F1 tie by the false-alert rate', () => {
    const s = summarizeSeeds([result(1, { falseAlertsPer1000KeyDays: 0.5 }), result(2, { falseAlertsPer1000KeyDays: 0.9 })]);
    expect(s.worst.seed).toBe(2);
  });

  it('misses the goals when an incident type goes undetected, even with a perfect F1 elsewhere', () => {
    const s = summarizeSeeds([result(4, { incidentsByKind: { off_hours_use: { incidents: 1, detected: 0 } } })]);
    expect(s.meetsGoals).toBe(false);
    expect(s.misses[4]).toEqual(['no off_hours_use detected']);
  });

  it('meets the goals exactly at their limits', () => {
    const s = summarizeSeeds([
      result(5, { f1: EVAL_GOALS.minF1, falseAlertsPer1000KeyDays: EVAL_GOALS.maxFalseAlertsPer1000KeyDays }),
    ]);
    expect(s.meetsGoals).toBe(true);
  });

  it('refuses an empty list', () => {
    expect(() => summarizeSeeds([])).toThrow(/no seeds/);
  });
});

describe('formatSeeds', () => {
  it('prints a row per seed, incidents per type, noisy behaviours, the worst seed and the goals', () => {
    const text = formatSeeds(
      summarizeSeeds([
        result(1),
        result(2, {
          f1: 0.5,
          precision: 0.5,
          falsePositives: 10,
          falseAlertsPer1000KeyDays: 10,
          alertsOnConfounders: { late_finish: 7 },
          falseAlertsByRule: { off_hours: 10 },
        }),
      ]),
    );
    expect(text).toMatch(/^seed\s+key-days\s+alerts\s+TP\s+FP\s+precision\s+recall\s+F1\s+FA\/1000kd$/m);
    expect(text).toMatch(/^2\s+1000\s+10\s+10\s+10\s+50\.0%\s+100\.0%\s+50\.0%\s+10\.00$/m);
    expect(text).toMatch(/^bulk_exfiltration\s+2\/2\s+2\/2$/m);
    expect(text).toMatch(/^late_finish\s+0\s+7$/m);
    expect(text).toMatch(/^off_hours\s+0\s+10$/m);
    expect(text).toContain('worst seed: 2 (F1 50.0%');
    expect(text).toContain('missed on 1 of 2 seeds');
    expect(text).toMatch(/^ {2}seed 2: F1 50\.0% < 95\.0%; 10\.00 false alerts/m);
  });
});
