/**
 * A key's baseline: what it has done so far, bounded in size whatever its traffic.
 * Plain data (numbers and small arrays) so it serialises as JSON today and packs into typed arrays later.
 * Times are epoch seconds.
 */

/** One value a key has used: its hash (or the value itself for ASNs and countries), uses, last use. */
export interface SeenValue {
  h: number;
  n: number;
  last: number;
}

/** Per-key tumbling window for failure counting. */
export interface FailureWindow {
  start: number;
  events: number;
  authFailures: number;
}

/** An open alert group: later findings with the same hash before `until` join it instead of alerting. */
export interface OpenGroup {
  h: number;
  until: number;
  /** Alert id of the group's first alert; joined findings refer to it. */
  alertId: string;
  count: number;
}

/** The last call whose location means something (city-level geo, not a cloud or VPN network). */
export interface LocatedPoint {
  t: number;
  lat: number;
  lon: number;
  country: string;
}

/** The last call from a cloud region placed by its provider's published ranges (`geo.cloud`). */
export interface CloudPoint {
  t: number;
  lat: number;
  lon: number;
  /** `provider:region`, e.g. `aws:us-east-1`. */
  place: string;
}

/**
 * Calls in the current clock hour, for volume_spike; `bucket` is its key-local hour of the week (0..167).
 * `previous` is the count of the clock hour just before (0 if the key was silent then), so a burst that
 * straddles two clock hours is still seen as one hour of calls; `peakWindow` is the busiest sliding hour that
 * ended within this clock hour.
 */
export interface HourCount {
  start: number;
  count: number;
  previous: number;
  peakWindow: number;
  bucket: number;
}

/**
 * The key's distribution of calls per active hour (hours with at least one call), for volume_spike, on a log
 * scale: exponentially weighted mean of ln(calls) and upper semi-variance (spread of the hours above that mean)
 * over the last ~`VOLUME_MEMORY_HOURS` active hours, and its usual peak (the largest hour, fading slowly).
 */
export interface VolumeStats {
  hours: number;
  logMean: number;
  logUpperSq: number;
  peak: number;
  /** Calls in one sliding hour from which a spike is reported: computed from the stats when an hour closes. */
  threshold: number;
}

/**
 * The actions (provider `service:Operation`) a key has called, for volume_spike's judgement of a burst of an action
 * the key never used: a 128-bit set of action hashes (a collision can only hide a new action, never invent one),
 * since when the set has been recorded and when it last grew, and the actions first called within the last hour
 * with their calls since then. Absent in profiles stored before codec version 5 (recorded from the next call).
 */
export interface ActionVocabulary {
  /** `ACTION_WORDS` unsigned 32-bit words; bit `hash32(action) % ACTION_BITS` is set once the key called it. */
  bits: number[];
  /** When recording began (the key's first call, or its first call after an upgrade from an older profile). */
  since: number;
  /** When an action was last added. */
  grewAt: number;
  /** Actions first called within the last hour, oldest first (at most `FRESH_ACTIONS`). */
  fresh: FreshAction[];
  /**
   * The first `ACTION_PEAKS` actions called since recording began, each with its busiest finished clock hour and its
   * calls in the hour in progress (`Profile.hour`): a burst of one action the key already uses is judged against
   * that action's own hours. Empty in profiles stored before codec version 6.
   */
  peaks: ActionPeak[];
}

/**
 * One action's hours: first called at `since`; `peak` is its busiest finished clock hour (non-throttled calls, each
 * hour entering at most 1.25× the previous peak, like the key's own), `count` its calls in the hour in progress.
 */
export interface ActionPeak {
  bit: number;
  since: number;
  peak: number;
  count: number;
}

/** An action the key called for the first time at `since`, and its (non-throttled) calls since then. */
export interface FreshAction {
  bit: number;
  since: number;
  count: number;
}

export const ACTION_WORDS = 4;
export const ACTION_BITS = ACTION_WORDS * 32;
/** Fresh actions tracked at once; a further one evicts the oldest. */
export const FRESH_ACTIONS = 4;
/** Actions whose hours are kept: volume_spike judges no action of a key with more (`MAX_VOCABULARY`). */
export const ACTION_PEAKS = 32;

/** A recently applied event: the 32-bit hash of its provider event id and its time (see `RECENT_EVENTS`). */
export interface RecentEvent {
  h: number;
  t: number;
}

export interface Profile {
  version: 2;
  firstSeen: number;
  lastSeen: number;
  events: number;
  failures: number;
  writes: number;
  ips: SeenValue[];
  prefixes: SeenValue[];
  asns: SeenValue[];
  countries: SeenValue[];
  userAgents: SeenValue[];
  /**
   * Key-local hour-of-week histogram (168 buckets, Monday 00:00 first): in how many distinct clock hours the
   * key called at that hour of the week. Integers 0..255, halved when one would pass 255.
   */
  activity: number[];
  window: FailureWindow;
  /** Smoothed share of authorization failures over past windows. */
  failureRate: number;
  located: LocatedPoint | null;
  /** Absent until the key is first used from a placed cloud region (and in profiles stored before this field). */
  cloudLocated?: CloudPoint | null;
  hour: HourCount;
  volume: VolumeStats;
  /** Distinct UTC days with at least one call (saturates at 65535). */
  activeDays: number;
  /** Longest silence between two consecutive calls, seconds. */
  longestGap: number;
  /** Bit set of the client kinds (client.ts CLIENT_KINDS) the key has used. */
  clientKinds: number;
  groups: OpenGroup[];
  /**
   * The last applied events, oldest first: an event found here (same id hash, same time) is a re-delivery and is
   * skipped. Bounded by `RECENT_EVENTS`; absent in profiles stored before codec version 3 and while empty.
   */
  recent?: RecentEvent[];
  /** Absent in profiles stored before codec version 5 until their next call. */
  actions?: ActionVocabulary;
}

/**
 * The window in which a re-delivered event is recognised by its id, per key: the last `count` applied events
 * within `seconds` before the key's latest call. Older re-deliveries are older than the key's latest call and
 * are handled as late events (learned, not judged: docs/detection.md).
 */
export const RECENT_EVENTS = { count: 16, seconds: 6 * 3600 } as const;

/** How many values of each kind a profile keeps; the least used (then oldest) is evicted. */
export const PROFILE_LIMITS = {
  ips: 16,
  prefixes: 12,
  asns: 8,
  countries: 6,
  userAgents: 8,
  groups: 8,
} as const;

export function emptyProfile(now: number): Profile {
  return {
    version: 2,
    firstSeen: now,
    lastSeen: now,
    events: 0,
    failures: 0,
    writes: 0,
    ips: [],
    prefixes: [],
    asns: [],
    countries: [],
    userAgents: [],
    activity: new Array<number>(ACTIVITY_BUCKETS).fill(0),
    window: { start: now, events: 0, authFailures: 0 },
    failureRate: 0,
    located: null,
    hour: { start: 0, count: 0, previous: 0, peakWindow: 0, bucket: 0 },
    volume: { hours: 0, logMean: 0, logUpperSq: 0, peak: 0, threshold: 0 },
    activeDays: 0,
    longestGap: 0,
    clientKinds: 0,
    groups: [],
  };
}

export function findValue(set: readonly SeenValue[], h: number): SeenValue | undefined {
  return set.find((v) => v.h === h);
}

/** Records a use of value `h`; returns a new array (profiles are never mutated in place). */
export function rememberValue(set: readonly SeenValue[], h: number, now: number, limit: number): SeenValue[] {
  const i = set.findIndex((v) => v.h === h);
  if (i >= 0) {
    const next = set.slice();
    const old = set[i]!;
    next[i] = { h, n: old.n + 1, last: Math.max(old.last, now) };
    return next;
  }
  const next = [...set, { h, n: 1, last: now }];
  if (next.length > limit) {
    let victim = 0;
    for (let j = 1; j < next.length - 1; j++) {
      const a = next[j]!;
      const b = next[victim]!;
      if (a.n < b.n || (a.n === b.n && a.last < b.last)) victim = j;
    }
    next.splice(victim, 1);
  }
  return next;
}

/** Country codes as numbers, so every SeenValue has the same shape. */
export function countryCode(country: string): number {
  return (country.charCodeAt(0) << 8) | country.charCodeAt(1);
}

/** Hours in a week: the activity histogram's buckets. */
export const ACTIVITY_BUCKETS = 168;

/** Key-local hour of the week, 0 = Monday 00:00 .. 167 = Sunday 23:00 (`localWeekday` is ISO, 1 = Monday). */
export function activityBucket(localHour: number, localWeekday: number): number {
  return (localWeekday - 1) * 24 + localHour;
}
