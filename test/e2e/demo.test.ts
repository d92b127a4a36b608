import { describe, expect, it } from 'vitest';
import { keywatch } from './cli.ts';

describe('keywatch demo --eval', () => {
  it('scores each seed and prints the summary as JSON', () => {
    const r = keywatch(['demo', '--eval', '--seeds', '3,4', '--keys', '12', '--days', '8', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.seeds.map((s: { seed: number }) => s.seed)).toEqual([3, 4]);
    for (const s of summary.seeds) {
      expect(s.keyDays).toBe(96);
      expect(s.records).toBeGreaterThan(1000);
      expect(s.f1).toBeGreaterThanOrEqual(0);
      expect(s.f1).toBeLessThanOrEqual(1);
      expect(Object.keys(s.incidentsByKind).length).toBeGreaterThan(0);
    }
    expect([3, 4]).toContain(summary.worst.seed);
    expect(typeof summary.meetsGoals).toBe('boolean');
    expect(r.stderr).toMatch(/seed 3: [\d,]+ records, F1/);
  });

  it('prints a table by default and rejects a bad seed list', () => {
    const r = keywatch(['demo', '--eval', '--seeds', '5', '--keys', '12', '--days', '8']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^seed\s+key-days\s+alerts/m);
    expect(r.stdout).toMatch(/^worst seed: 5 /m);
    const bad = keywatch(['demo', '--eval', '--seeds', 'all']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('"all"');
  });

  // Issue 8's goals on five full-size seeds (40 keys, 21 days each): the demo's numbers are measured here in CI,
  // not only quoted. Seeds 1-30 are documented in docs/detection.md; these five run in about a minute.
  it('meets the detection goals on seeds 1-5: worst F1 >= 0.95, <= 1 false alert per 1,000 key-days, every incident type', () => {
    const r = keywatch(['demo', '--eval', '--seeds', '1-5', '--json'], { timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.seeds).toHaveLength(5);
    for (const s of summary.seeds) {
      expect(s.f1, `seed ${s.seed}`).toBeGreaterThanOrEqual(0.95);
      expect(s.falseAlertsPer1000KeyDays, `seed ${s.seed}`).toBeLessThanOrEqual(1);
      for (const [kind, k] of Object.entries(s.incidentsByKind as Record<string, { detected: number }>)) {
        expect(k.detected, `seed ${s.seed}: ${kind}`).toBeGreaterThan(0);
      }
    }
    expect(summary.meetsGoals).toBe(true);
  }, 320_000);
});
