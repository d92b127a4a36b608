import { describe, expect, it } from 'vitest';
import { DETECTOR_IDS, DETECTOR_NAMES, DETECTORS, emptyProfile, withDefaults } from '../src/index.ts';

describe('detector registry', () => {
  it('derives ids and names from the one list, each id once', () => {
    expect(new Set(DETECTOR_IDS).size).toBe(DETECTORS.length);
    for (const d of DETECTORS) expect(DETECTOR_NAMES[d.id]).toBe(d.name);
  });

  it("fills every detector's option defaults and keeps a single override beside them", () => {
    const o = withDefaults({ detectors: { failure_spike: { minFailures: 20 } } });
    for (const d of DETECTORS) expect(o.detectors[d.id]).toBeTypeOf('object');
    expect(o.detectors.failure_spike.minFailures).toBe(20);
    expect(o.detectors.failure_spike.windowSeconds).toBe(600);
    expect(o.groupWindowOverrides.key_age).toBe(30 * 86400);
  });

  it('rejects bad options naming the field', () => {
    expect(() => withDefaults({ detectors: { off_hours: { graceHours: 99 } } })).toThrow(/detectors\.off_hours\.graceHours/);
    expect(() => withDefaults({ detectors: { dormant_key: { dayz: 3 } } } as never)).toThrow(/dormant_key/);
    expect(() => withDefaults({ detectors: { no_such_rule: {} } } as never)).toThrow(/no_such_rule/);
  });

  it('declares every profile field beyond the core counters in the state of a detector that learns it', () => {
    const core = new Set(['version', 'firstSeen', 'lastSeen', 'events', 'failures', 'groups']);
    const fields = Object.keys(emptyProfile(0)).filter((f) => !core.has(f));
    const learners = DETECTORS.filter((d) => 'learn' in d);
    for (const f of fields) {
      const owners = learners.filter((d) => (d.state as readonly string[]).includes(f));
      expect(owners.length, `${f} is declared by ${owners.map((d) => d.id).join(', ') || 'nobody'}`).toBeGreaterThanOrEqual(1);
    }
  });
});
