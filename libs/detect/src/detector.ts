import type { TimeInfo } from '@keywatch/enrich';
import type { z } from 'zod';
import type { EventFacts } from './facts.ts';
import type { Profile } from './profile.ts';
import type { Suppression } from './suppress.ts';
import type { DetectInput, Verdict } from './types.ts';

/** Options every detector sees, whatever its own are. */
export interface CoreOptions {
  /**
   * New-value detectors stay quiet until a key has `minEvents` calls over `minDays`; a key with few calls
   * leaves learning anyway once its history spans `maxDays`.
   */
  learning: { minEvents: number; minDays: number; maxDays: number };
  /** A value not used for this long counts as new again. */
  forgetAfterDays: number;
  /** Findings of one key and detector on the same value within this window join one alert. */
  groupWindowSeconds: number;
}

/** What a detector gets for one event. */
export interface DetectorContext<O> {
  input: DetectInput;
  /** The key's profile *before* this event: what "new" and "usual" are judged against. */
  profile: Profile;
  /**
   * The profile after every detector has learned this event (open alert groups not yet updated): counters
   * that must include the event itself (the current failure window, the current clock hour) are read here.
   */
  next: Profile;
  /** Event time, epoch seconds. */
  now: number;
  /** The key is past its learning period (`CoreOptions.learning`). */
  learned: boolean;
  facts: EventFacts;
  /** This detector's own options, validated and with defaults filled in. */
  options: O;
  core: CoreOptions;
}

/** What made an alert, as far as one detector's feedback needs it (read from the ECS alert document). */
export interface AlertValues {
  ip: string | null;
  country: string | null;
  asn: number | null;
  userAgent: string | null;
  action: string | null;
  /** Key-local time of the alerted call (for off_hours). */
  time: TimeInfo | null;
  /** evidence.calls (volume_spike) or evidence.failures/calls (failure_spike), when present. */
  calls: number | null;
  failures: number | null;
}

/** The allowlist criteria a benign verdict adds for one detector (the rest of the Suppression is generic). */
export type SuppressionCriteria = Partial<Pick<Suppression, 'cidrs' | 'asns' | 'countries' | 'userAgents' | 'actions'>>;

/**
 * One detector: everything about a rule lives in its own file under `detectors/` and is listed once in
 * `registry.ts`. Ids, names, option defaults and validation, learning and feedback are derived from that list.
 */
export interface Detector<Id extends string = string, S extends z.ZodType = z.ZodType> {
  /** Stable rule id (ECS `rule.id`); never reuse one with another meaning. */
  id: Id;
  /** Plain-language rule name (ECS `rule.name`). */
  name: string;
  /** Its options, every field with a default: `options.detectors[id]` in the configuration. */
  options: S;
  /** The profile fields it learns or reads (beyond the core counters), so state has one owner to ask. */
  state: readonly (keyof Profile)[];
  /** Findings of other detectors this one implies (a new country is a new ASN and IP): those are folded into it. */
  covers?: readonly string[];
  /** Default alert-group window for this detector, when it differs from `CoreOptions.groupWindowSeconds`. */
  groupWindowSeconds?: number;
  /** Records this event in the state it owns. `next` is a fresh shallow copy of the profile: replace fields, never mutate arrays. */
  learn?(ctx: Omit<DetectorContext<z.infer<S>>, 'next'>, next: Profile): void;
  /** Its verdict on the event, or null. */
  evaluate(ctx: DetectorContext<z.infer<S>>): Verdict | null;
  /** "This alert was benign": return the profile taught to accept the alert's values. */
  teach?(profile: Profile, facts: AlertValues, now: number, options: z.infer<S>): Profile;
  /** "This alert was malicious": return the profile with the attacker's values taken out again. */
  unlearn?(profile: Profile, facts: AlertValues): Profile;
  /** What a benign feedback's time-limited suppression matches for this detector (beyond key and rule). */
  suppress?(facts: AlertValues): SuppressionCriteria;
}

/** Identity function that checks a detector against the interface and keeps its literal id and option types. */
export function defineDetector<const Id extends string, S extends z.ZodType>(d: Detector<Id, S>): Detector<Id, S> {
  return d;
}
