import type { Call, KeyProfile, Window } from './model.ts';
import type { Rng } from './rng.ts';

/** What a scenario gets to work with: one key, the day chosen for it, and that key's everyday traffic. */
export interface ScenarioContext {
  key: KeyProfile;
  window: Window;
  dayIndex: number;
  rng: Rng;
  /** How many scenarios of this kind were placed before this one (to vary details between them). */
  ordinal: number;
  /** The key's everyday calls; a scenario may change them in place (a bot moving to a new address). */
  routine: Call[];
}

export interface ScenarioResult {
  /** The calls that make up the scenario. Calls not already in `routine` are added to the key's traffic. */
  calls: Call[];
  description: string;
  /** Everyday calls that come with the story (the rest of a deployment), added to the traffic untagged. */
  untaggedCalls?: Call[];
  /** Calls from before the window (a retired key's past life), added to the traffic untagged. */
  history?: Call[];
  /** The key's registry creation date (YYYY-MM-DD), when the story needs another one (a key past rotation). */
  created?: string;
}

/**
 * An injected story: an incident (detectors non-empty: the rule ids that should fire on it) or a benign
 * confounder (detectors empty: it must not alert). New detectors get new scenarios; nothing else changes.
 */
export interface Scenario {
  kind: string;
  detectors: readonly string[];
  /** Whether the key can host this story in this window (a write-on-read-only needs a key declared read-only …). */
  eligible(key: KeyProfile, window: Window): boolean;
  /** The scenario's calls on `ctx.dayIndex`, or null when the key has no fitting moment that day. */
  inject(ctx: ScenarioContext): ScenarioResult | null;
}
