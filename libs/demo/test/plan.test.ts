import { describe, expect, it } from 'vitest';
import { drawBehaviour } from '../src/behaviour.ts';
import { ADDED_BENIGN_SCENARIOS } from '../src/benign/index.ts';
import { buildFleet } from '../src/fleet.ts';
import type { Window } from '../src/model.ts';
import { DEFAULT_DEMO } from '../src/options.ts';
import { type Placement, planScenarios } from '../src/plan.ts';
import { Rng } from '../src/rng.ts';
import { DAY_MS, parseDate } from '../src/time.ts';

/** The plan of a default-sized demo for `seed`, with the given confounders added after the first deal. */
function plan(seed: number, added?: Parameters<typeof planScenarios>[3]): Placement[] {
  const rng = new Rng(seed);
  const start = parseDate(DEFAULT_DEMO.start);
  const startMs = Date.UTC(start.year, start.month - 1, start.day);
  const window: Window = { start, startMs, endMs: startMs + DEFAULT_DEMO.days * DAY_MS, days: DEFAULT_DEMO.days };
  const fleet = buildFleet(DEFAULT_DEMO.keys, start, DEFAULT_DEMO.days, drawBehaviour(rng.fork('behaviour')), rng.fork('fleet'));
  return planScenarios(fleet, window, rng.fork('plan'), added);
}

const summary = (p: Placement) => `${p.scenario.kind} key ${p.key.index} day ${p.dayIndex}`;

describe('planScenarios', () => {
  it('places added confounders after the first deal without moving any story of it', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const without = plan(seed, []);
      const withAdded = plan(seed);
      expect(withAdded.slice(0, without.length).map(summary)).toEqual(without.map(summary));
      const added = withAdded.slice(without.length);
      expect(added.map((p) => p.scenario.kind)).toEqual(ADDED_BENIGN_SCENARIOS.map((s) => s.kind));
      // One story per key: the added ones go to keys the first deal left free.
      const keys = withAdded.map((p) => p.key);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});
