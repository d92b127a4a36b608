import type { DetectorId } from './ids.ts';

/** Tunables of the detection core. Every value has a default; config files override single fields. */
export interface DetectOptions {
  /** New-value detectors stay quiet until a key has this much history (both must hold). */
  learning: { minEvents: number; minDays: number };
  /** A value not used for this long counts as new again. */
  forgetAfterDays: number;
  /** Findings of one key and detector on the same value within this window join one alert. */
  groupWindowSeconds: number;
  /** Longer windows for detectors whose finding repeats on every call until someone acts (key_age). */
  groupWindowOverrides: Partial<Record<DetectorId, number>>;
  /**
   * A new /24 (/48) inside an ASN the key already uses is only reported for keys that stay on few
   * networks: cloud workloads that hop between prefixes of their provider are not news.
   */
  newIp: { maxKnownPrefixesForSameAsn: number };
  offHours: {
    /** Without declared business hours: the hour (±1) must hold less than this share of past activity. */
    minShare: number;
    /** ...and fewer than this many calls (decayed): "normally idle" means (nearly) never, not "less". */
    maxUsualCalls: number;
    /** ...and the key must have at least this much (decayed) activity recorded... */
    minActivity: number;
    /** ...over at least this many days: an hour-of-day rhythm needs a week to show. */
    minHistoryDays: number;
  };
  failureSpike: {
    windowSeconds: number;
    /** At least this many authorization failures in one window... */
    minFailures: number;
    /** ...making at least this share of the window's calls... */
    minShare: number;
    /** ...and at least this many times the key's usual failure share. */
    factor: number;
  };
  dormantDays: number;
  impossibleTravel: {
    /** Implied speed above which two calls cannot come from one traveller (a long-haul jet is ~900 km/h). */
    maxKmh: number;
    /** Geo databases are coarse: closer than this is never travel. */
    minKm: number;
  };
  volumeSpike: {
    /** Calls in one clock hour at least this many... */
    minCalls: number;
    /** ...and this many times the key's usual rate for that hour of the week. */
    factor: number;
  };
}

export const DEFAULT_DETECT_OPTIONS: DetectOptions = {
  learning: { minEvents: 50, minDays: 2 },
  forgetAfterDays: 90,
  groupWindowSeconds: 3600,
  groupWindowOverrides: { key_age: 30 * 86400 },
  newIp: { maxKnownPrefixesForSameAsn: 3 },
  offHours: { minShare: 0.005, maxUsualCalls: 2, minActivity: 100, minHistoryDays: 7 },
  failureSpike: { windowSeconds: 600, minFailures: 10, minShare: 0.5, factor: 4 },
  dormantDays: 30,
  impossibleTravel: { maxKmh: 1000, minKm: 500 },
  volumeSpike: { minCalls: 100, factor: 6 },
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export function withDefaults(partial: DeepPartial<DetectOptions> = {}): DetectOptions {
  const d = DEFAULT_DETECT_OPTIONS;
  return {
    learning: { ...d.learning, ...partial.learning },
    forgetAfterDays: partial.forgetAfterDays ?? d.forgetAfterDays,
    groupWindowSeconds: partial.groupWindowSeconds ?? d.groupWindowSeconds,
    groupWindowOverrides: { ...d.groupWindowOverrides, ...partial.groupWindowOverrides },
    newIp: { ...d.newIp, ...partial.newIp },
    offHours: { ...d.offHours, ...partial.offHours },
    failureSpike: { ...d.failureSpike, ...partial.failureSpike },
    dormantDays: partial.dormantDays ?? d.dormantDays,
    impossibleTravel: { ...d.impossibleTravel, ...partial.impossibleTravel },
    volumeSpike: { ...d.volumeSpike, ...partial.volumeSpike },
  };
}
