import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { isThrottled } from '../failures.ts';
import { activityBucket, type HourCount, type Profile, type VolumeStats } from '../profile.ts';
import { plural } from '../text.ts';
import type { DetectInput, Verdict } from '../types.ts';
import { actionBit, actionPeak, closeActionHour, freshAction, hasAction, learnAction, vocabularySize } from './actions.ts';
import { studentTQuantile } from './stats.ts';

/** The statistics follow roughly the last this many active hours. */
const VOLUME_MEMORY_HOURS = 500;
/** The usual peak fades by this factor per active hour (half-life ~350 active hours, a month or two). */
const PEAK_DECAY = 0.998;
/**
 * Once trusted, a finished hour enters the statistics as at most this multiple of the usual peak: neither a ramp
 * nor the first clock hour of a burst that straddles two can raise the bar much before the burst is judged, while
 * real growth (a fleet doubling) reaches its new level within a few busy hours.
 */
const PEAK_STEP = 1.25;
/**
 * Prior for a short history: the log-scale spread of a bursty key (sd 1, i.e. hours commonly 2.7× above or
 * below the typical one), worth this many hours, so a few quiet, regular hours do not make the key look rigid.
 */
const PRIOR_LOG_SD = 1;
const PRIOR_HOURS = 1;
/**
 * A fresh action is judged only while the key's vocabulary has at most this many actions: beyond it a quarter of
 * new actions share a bit with a known one, and a key calling that many different APIs adds new ones routinely.
 */
const MAX_VOCABULARY = 32;

const options = z.strictObject({
  /** Never a spike below this many calls in one hour. */
  minCalls: z.number().int().min(1).default(50),
  /**
   * Probability, per active hour, that the key's own count distribution reaches the threshold: the false-alarm
   * budget (1e-5 with ~8 active hours a day is ~0.1 alerts per 1,000 key-days if the model holds).
   */
  tailProbability: z.number().gt(0).lt(1).default(1e-5),
  /** ...never below this multiple of the key's usual peak hour... */
  peakFactor: z.number().min(1).default(3),
  /**
   * ...and never above this multiple of it: exfiltration runs at 10-50× a key's usual volume, and a short or
   * very uneven history makes the distribution's bound wider than that.
   */
  peakCeiling: z.number().min(1).default(10),
  /** Active hours of history before an hour is judged. */
  minActiveHours: z.number().int().min(1).default(3),
  /**
   * Days the key's actions must have been recorded before a burst of an action it never called is judged: a full
   * week, so weekly jobs' actions are known. An action the key uses is judged on its own hours once it has been
   * used this long.
   */
  vocabularyDays: z.number().min(0).default(7),
  /**
   * One action's calls in a clock hour alert at this multiple of its own busiest hour (and at least the key's usual
   * peak and `minCalls`): exfiltration runs at 10-50× a key's usual volume, and an action's busiest hour is above
   * its usual one, so 10× it is the low end.
   */
  actionPeakFactor: z.number().min(1).default(10),
});
type Options = z.infer<typeof options>;

/**
 * Calls per hour as log-normal with the key's own location and spread: busy keys work in sessions, so their
 * hourly counts are skewed and over-dispersed, and a multiple of the usual hour means the same whether the key
 * makes 10 or 10,000 calls an hour. The spread is estimated from the hours above the typical one only (upper
 * semi-variance), because quiet hours (one stray call amid sessions) say nothing about how high a busy hour goes.
 * The threshold is the (1 − tailProbability) prediction bound of the next hour (Student t, since the spread
 * itself is estimated), never below `peakFactor` × the usual peak nor `minCalls`, never above `peakCeiling` × the
 * usual peak (a short or uneven history makes the bound wider than any exfiltration). Hours are sliding: a burst
 * that straddles two clock hours counts as one hour. Every call at or above the threshold is a finding; they
 * join one alert, whose evidence is then the spike's calls.
 */
export const volumeSpike = defineDetector({
  id: 'volume_spike',
  name: 'Spike of call volume',
  options,
  // A spike's calls can span two clock hours (its own and the next, which is judged on its own calls): one alert.
  groupWindowSeconds: 2 * 3600,
  state: ['hour', 'volume', 'actions'],
  learn({ input, now, options, facts }, next) {
    let hour = next.hour;
    if (now >= hour.start + 3600) {
      const busiest = Math.max(hour.count, hour.peakWindow);
      // A spike is judged once: its hour does not carry into the next sliding hours.
      const spiked = isSpike(next.volume, busiest);
      if (hour.count > 0) next.volume = closeHour(next.volume, busiest, options);
      next.actions = closeActionHour(next.actions, PEAK_STEP);
      const start = now - (now % 3600);
      const previous = start === hour.start + 3600 && !spiked ? hour.count : 0;
      hour = { start, count: 0, previous, peakWindow: 0, bucket: activityBucket(input.time.localHour, input.time.localWeekday) };
    }
    const counts = countsAsVolume(input.event);
    if (input.event.action !== '') next.actions = learnAction(next.actions, facts.actionBit, now, counts);
    if (counts) {
      const counted = { ...hour, count: hour.count + 1 };
      counted.peakWindow = Math.max(hour.peakWindow, slidingHour(counted, now));
      hour = counted;
    }
    next.hour = hour;
  },
  evaluate(ctx) {
    const o = ctx.options;
    const v = ctx.next.volume;
    if (!ctx.learned || v.hours < o.minActiveHours || !countsAsVolume(ctx.input.event)) return null;
    const calls = slidingHour(ctx.next.hour, ctx.now);
    const threshold = v.threshold > 0 ? v.threshold : thresholdOf(v, o);
    if (calls < threshold)
      return (
        freshActionBurst(ctx.input.event, ctx.facts.actionBit, ctx.profile, ctx.next, ctx.now, o) ??
        actionBurst(ctx.input.event, ctx.facts.actionBit, ctx.next, ctx.now, o)
      );
    const typical = Math.exp(v.logMean);
    return {
      score: calls >= 10 * Math.max(1, v.peak) ? 70 : 50,
      reason: `made ${plural(calls, 'call')} within one hour (latest: ${ctx.input.event.action}), ${ratio(calls, typical)}× its typical hour and ${ratio(calls, v.peak)}× its usual peak`,
      baseline: `its active hours typically have about ${Math.round(typical)} calls, peak about ${Math.round(v.peak)} (${Math.round(v.hours)} active hours); ${plural(Math.ceil(threshold), 'call')} in an hour has probability ≤ ${o.tailProbability} under its own distribution`,
      groupValue: '',
      evidence: {
        calls,
        usual_per_hour: Math.round(typical),
        usual_peak: Math.round(v.peak),
        threshold: Math.ceil(threshold),
        action: ctx.input.event.action,
        ip: ctx.input.event.sourceIp,
      },
    };
  },
  teach(profile, facts, _now, o) {
    if (facts.calls === null) return profile;
    // Taught as a usual peak: the same hour is then below peakFactor × peak (and, for the action, its own factor).
    const volume = { ...profile.volume, peak: Math.max(profile.volume.peak, facts.calls) };
    const calls = facts.calls;
    const taught: Profile = { ...profile, volume: { ...volume, threshold: thresholdOf(volume, o) } };
    if (profile.actions !== undefined) {
      const bit = facts.action === null ? -1 : actionBit(facts.action);
      const peaks = profile.actions.peaks.map((p) => (p.bit === bit ? { ...p, peak: Math.max(p.peak, calls) } : p));
      taught.actions = { ...profile.actions, peaks };
    }
    return taught;
  },
});

/**
 * A burst of an action the key never called before this hour, once its vocabulary is known (recorded for
 * `vocabularyDays`, at most `MAX_VOCABULARY` actions): the action's calls since its first one reach the key's
 * usual peak hour (all actions together) and `minCalls`. A table dump by `Scan` from a key that only ever used
 * `Query`, a bucket copied by a key that only wrote to it: too few calls for the whole key's bound, but one API the
 * key never used, as busy in its first hour as the key's busiest hour ever.
 */
function freshActionBurst(
  event: DetectInput['event'],
  bit: number,
  before: Profile,
  next: Profile,
  now: number,
  o: Options,
): Verdict | null {
  const vocabulary = next.actions;
  if (vocabulary === undefined || before.actions === undefined || now - vocabulary.since < o.vocabularyDays * 86400) return null;
  const fresh = freshAction(vocabulary, bit, now);
  if (fresh === undefined) return null;
  const peak = next.volume.peak;
  const threshold = Math.max(o.minCalls, Math.ceil(peak));
  if (fresh.count < threshold) return null;
  // The vocabulary as it was before this action: judged only while small enough to be known.
  const known = vocabularySize(before.actions) - (hasAction(before.actions, bit) ? 1 : 0);
  if (known > MAX_VOCABULARY) return null;
  const minutes = Math.max(1, Math.ceil((now - fresh.since) / 60));
  const days = Math.floor((fresh.since - vocabulary.since) / 86400);
  return {
    score: fresh.count >= 10 * Math.max(1, peak) ? 70 : 50,
    reason: `made ${plural(fresh.count, 'call')} of ${event.action} within ${plural(minutes, 'minute')} of first calling it, an action it had not used in ${plural(days, 'day')}; its busiest hour has about ${Math.round(peak)} calls of all its actions`,
    baseline: `${plural(known, 'other action')} in ${plural(days, 'day')} of recorded history; a new action as busy in its first hour as the key's usual peak (${plural(threshold, 'call')}) is a spike`,
    groupValue: '',
    evidence: {
      calls: fresh.count,
      action: event.action,
      fresh_action: true,
      usual_peak: Math.round(peak),
      threshold,
      known_actions: known,
      ip: event.sourceIp,
    },
  };
}

/**
 * A burst of one action the key already uses, judged on that action's own hours: its calls in this clock hour reach
 * `actionPeakFactor` × its busiest hour, the key's usual peak hour (all actions together) and `minCalls`. A bucket
 * copied by a key that reads a few of its objects beside other work: the whole key's hour stays within its usual
 * swings (a bursty key's bound is wide), but one of its actions runs at many times its own busiest hour. Judged once
 * the action has been used `vocabularyDays` and while the key has at most `MAX_VOCABULARY` actions.
 */
function actionBurst(event: DetectInput['event'], bit: number, next: Profile, now: number, o: Options): Verdict | null {
  const vocabulary = next.actions;
  if (vocabulary === undefined) return null;
  const hours = actionPeak(vocabulary, bit);
  if (hours === undefined || hours.peak < 1 || now - hours.since < o.vocabularyDays * 86400) return null;
  const keyPeak = next.volume.peak;
  const threshold = Math.max(o.minCalls, Math.ceil(o.actionPeakFactor * hours.peak), Math.ceil(keyPeak));
  if (hours.count < threshold || vocabularySize(vocabulary) > MAX_VOCABULARY) return null;
  const days = Math.floor((now - hours.since) / 86400);
  return {
    score: hours.count >= 10 * Math.max(1, keyPeak) ? 70 : 50,
    reason: `made ${plural(hours.count, 'call')} of ${event.action} in this clock hour, ${ratio(hours.count, hours.peak)}× the busiest hour it has had for that action`,
    baseline: `its busiest hour of ${event.action} in ${plural(days, 'day')} had ${plural(hours.peak, 'call')}, of all its actions about ${Math.round(keyPeak)}; ${plural(threshold, 'call')} of one action in an hour is a spike`,
    groupValue: '',
    evidence: {
      calls: hours.count,
      action: event.action,
      action_peak: hours.peak,
      usual_peak: Math.round(keyPeak),
      threshold,
      ip: event.sourceIp,
    },
  };
}

/** A throttled call is a retry the provider refused for its rate: it moved nothing, and retry storms are bursts. */
function countsAsVolume(event: { outcome: string; errorCode: string | null }): boolean {
  return !(event.outcome === 'failure' && isThrottled(event.errorCode));
}

/** Calls in the hour ending now: this clock hour's calls plus the previous clock hour's, pro rata of the overlap. */
function slidingHour(hour: HourCount, now: number): number {
  const overlap = 1 - (now - hour.start) / 3600;
  return hour.count + Math.round(hour.previous * Math.max(0, overlap));
}

/**
 * Adds a finished hour (its busiest sliding hour) to the statistics. Once the distribution is trusted, an hour
 * enters as at most `PEAK_STEP` × the usual peak (an alerted hour as the usual peak), so one attack — or the ramp
 * before it — does not teach the key that 50× is normal, while real growth still moves it hour by hour; a busy
 * hour that is normal after all is taught by feedback (`teach`).
 */
function closeHour(v: VolumeStats, count: number, o: Options): VolumeStats {
  const alerted = isSpike(v, count);
  const trusted = v.hours >= o.minActiveHours;
  const c = alerted ? Math.max(1, v.peak) : trusted ? Math.min(count, Math.ceil(PEAK_STEP * v.peak)) : count;
  const x = Math.log(c);
  const hours = Math.min(v.hours + 1, VOLUME_MEMORY_HOURS);
  const w = 1 / hours;
  const above = Math.max(0, x - v.logMean);
  const next = {
    hours,
    logMean: v.logMean + w * (x - v.logMean),
    // Exponentially weighted (Welford) second moment of the hours above the mean only.
    logUpperSq: (1 - w) * (v.logUpperSq + w * above * above),
    peak: alerted ? v.peak : Math.max(c, v.peak * PEAK_DECAY),
    threshold: 0,
  };
  next.threshold = thresholdOf(next, o);
  return next;
}

function isSpike(v: VolumeStats, count: number): boolean {
  return v.threshold > 0 && count >= v.threshold;
}

function thresholdOf(v: VolumeStats, o: Options): number {
  // Upper semi-variance is half the variance of a symmetric distribution; blended with the prior for short histories.
  const variance = (v.hours * 2 * v.logUpperSq + PRIOR_HOURS * PRIOR_LOG_SD ** 2) / (v.hours + PRIOR_HOURS);
  const t = studentTQuantile(1 - o.tailProbability, Math.max(1, v.hours + PRIOR_HOURS - 1));
  const bound = Math.exp(v.logMean + t * Math.sqrt(variance * (1 + 1 / Math.max(1, v.hours))));
  const ceiling = Math.max(o.peakFactor, o.peakCeiling) * v.peak;
  return Math.max(o.minCalls, Math.ceil(Math.min(bound, ceiling)), Math.ceil(o.peakFactor * v.peak));
}

function ratio(a: number, b: number): string {
  return b > 0 ? (a / b).toFixed(1) : '∞';
}
