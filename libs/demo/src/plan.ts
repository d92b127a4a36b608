import { ADDED_BENIGN_SCENARIOS, BENIGN_SCENARIOS } from './benign/index.ts';
import { INCIDENT_SCENARIOS } from './incidents/index.ts';
import type { KeyProfile, Window } from './model.ts';
import type { Rng } from './rng.ts';
import type { Scenario } from './scenario.ts';

/** Nothing is injected in the first days: detectors are still learning what normal looks like. */
export const LEARNING_DAYS = 5;
/** Share of keys that get an incident (each on its own key). */
const INCIDENTS_PER_KEY = 0.5;
/** Share of keys that get a benign confounder; the rest of the fleet only does its everyday work. */
const CONFOUNDERS_PER_KEY = 0.3;

export interface Placement {
  scenario: Scenario;
  key: KeyProfile;
  /** Preferred day; the scenario may move to a nearby day that suits the key. */
  dayIndex: number;
}

/**
 * Deals incidents and confounders to keys (one story per key, so each incident's evidence is clean)
 * and spreads them over the days after the learning period. Scarce-eligibility stories pick first;
 * `addedBenign` (confounders added later) are placed after all of them.
 */
export function planScenarios(
  fleet: readonly KeyProfile[],
  window: Window,
  rng: Rng,
  addedBenign: readonly Scenario[] = ADDED_BENIGN_SCENARIOS,
): Placement[] {
  const days = window.days;
  if (days <= LEARNING_DAYS) return [];
  const incidents = dealKinds(INCIDENT_SCENARIOS, Math.round(fleet.length * INCIDENTS_PER_KEY));
  const benign = dealKinds(BENIGN_SCENARIOS, Math.round(fleet.length * CONFOUNDERS_PER_KEY));
  const slots = [...spreadOverDays(incidents, days, rng), ...spreadOverDays(benign, days, rng)];

  // A key that pauses for weeks hosts no story: its label would mix the pause with the story.
  const eligible = (s: Scenario, k: KeyProfile) => !k.traits.pause && s.eligible(k, window);
  const eligibleCount = (s: Scenario) => fleet.filter((k) => eligible(s, k)).length;
  const order = slots.map((slot, i) => ({ slot, i, scarcity: eligibleCount(slot.scenario) }));
  order.sort((a, b) => a.scarcity - b.scarcity || a.i - b.i);

  const used = new Set<KeyProfile>();
  const first = place(order, fleet, used, eligible, rng);

  // Added confounders come after, from their own stream, so that they move none of the stories above.
  const added = rng.fork('added');
  const perKind = Math.floor(benign.length / BENIGN_SCENARIOS.length);
  const addedSlots = spreadOverDays(
    addedBenign.flatMap((s) => Array.from({ length: perKind }, () => s)),
    days,
    added,
  ).map((slot, i) => ({ slot, i }));
  return [...first, ...place(addedSlots, fleet, used, eligible, added)];
}

/** Gives each slot, in the order given, a random eligible key not yet used; returns them in slot order. */
function place(
  order: ReadonlyArray<{ slot: { scenario: Scenario; dayIndex: number }; i: number }>,
  fleet: readonly KeyProfile[],
  used: Set<KeyProfile>,
  eligible: (s: Scenario, k: KeyProfile) => boolean,
  rng: Rng,
): Placement[] {
  const placed: Array<Placement & { i: number }> = [];
  for (const { slot, i } of order) {
    const free = fleet.filter((k) => !used.has(k) && eligible(slot.scenario, k));
    if (free.length === 0) continue;
    const key = rng.pick(free);
    used.add(key);
    placed.push({ ...slot, key, i });
  }
  return placed.sort((a, b) => a.i - b.i).map(({ scenario, key, dayIndex }) => ({ scenario, key, dayIndex }));
}

/** `count` stories cycling through the kinds in order (earlier kinds get one more when it does not divide). */
function dealKinds(kinds: readonly Scenario[], count: number): Scenario[] {
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length] as Scenario);
}

/** Shuffles the stories and gives them evenly spaced days after the learning period. */
function spreadOverDays(scenarios: Scenario[], days: number, rng: Rng): Array<{ scenario: Scenario; dayIndex: number }> {
  const span = days - LEARNING_DAYS;
  return rng.shuffle(scenarios).map((scenario, j) => ({
    scenario,
    dayIndex: LEARNING_DAYS + Math.min(span - 1, Math.floor(((j + rng.next()) * span) / scenarios.length)),
  }));
}

/** Days to try for a story: the preferred one, later ones, then earlier ones down to the learning period. */
export function candidateDays(preferred: number, days: number): number[] {
  const later = Array.from({ length: days - preferred }, (_, i) => preferred + i);
  const earlier = Array.from({ length: preferred - LEARNING_DAYS }, (_, i) => preferred - 1 - i);
  return [...later, ...earlier];
}
