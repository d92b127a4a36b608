import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { activityBucket, type VolumeStats } from '../profile.ts';
import { plural } from '../text.ts';
import { negativeBinomialQuantile } from './stats.ts';

/** The statistics follow roughly the last this many active hours. */
const VOLUME_MEMORY_HOURS = 500;
/** The usual peak fades by this factor per active hour (half-life ~350 active hours, a month or two). */
const PEAK_DECAY = 0.998;
/** Once trusted, a finished hour enters the statistics as at most this multiple of the usual peak. */
const PEAK_STEP = 2;
/** Prior weight, in hours, of "as bursty as a coefficient of variation of 1" for keys with a short history. */
const PRIOR_HOURS = 4;

const options = z.strictObject({
  /** Never a spike below this many calls in one clock hour. */
  minCalls: z.number().int().min(1).default(50),
  /**
   * Probability, per active hour, that the key's own count distribution reaches the threshold: the false-alarm
   * budget (1e-5 with ~8 active hours a day is ~0.1 alerts per 1,000 key-days if the model holds).
   */
  tailProbability: z.number().gt(0).lt(1).default(1e-5),
  /** ...and never below this multiple of the key's usual peak hour. */
  peakFactor: z.number().min(1).default(3),
  /** Active hours of history before the key's distribution is trusted. */
  minActiveHours: z.number().int().min(1).default(8),
});
type Options = z.infer<typeof options>;

/**
 * Calls per active clock hour as a negative binomial with the key's own mean and variance (over-dispersed:
 * business keys work in sessions). An hour is a spike when its count reaches the (1 − tailProbability)
 * quantile of that distribution, `peakFactor` × its usual peak and `minCalls` — reported once, when the
 * count crosses the threshold.
 */
export const volumeSpike = defineDetector({
  id: 'volume_spike',
  name: 'Spike of call volume',
  options,
  state: ['hour', 'volume'],
  learn({ input, now, options }, next) {
    let hour = next.hour;
    if (now >= hour.start + 3600) {
      if (hour.count > 0) next.volume = closeHour(next.volume, hour.count, options);
      hour = { start: now - (now % 3600), count: 0, bucket: activityBucket(input.time.localHour, input.time.localWeekday) };
    }
    next.hour = { ...hour, count: hour.count + 1 };
  },
  evaluate(ctx) {
    const o = ctx.options;
    const v = ctx.next.volume;
    if (!ctx.learned || v.hours < o.minActiveHours) return null;
    // The clock hour after this call has been counted.
    const hour = ctx.next.hour;
    const threshold = v.threshold > 0 ? v.threshold : thresholdOf(v, o);
    // Once per clock hour: when the count crosses the threshold, not on every call after it.
    if (hour.count !== threshold) return null;
    const sd = Math.sqrt(Math.max(0, v.meanSq - v.mean * v.mean));
    return {
      score: hour.count >= 10 * Math.max(1, v.peak) ? 70 : 50,
      reason: `made ${plural(hour.count, 'call')} within one hour (latest: ${ctx.input.event.action}), ${ratio(hour.count, v.mean)}× its usual hour and ${ratio(hour.count, v.peak)}× its usual peak`,
      baseline: `its active hours have about ${Math.round(v.mean)} ± ${Math.round(sd)} calls, peak about ${Math.round(v.peak)} (${Math.round(v.hours)} active hours); a count of ${threshold} has probability ≤ ${o.tailProbability} under that distribution`,
      groupValue: '',
      evidence: {
        calls: hour.count,
        usual_per_hour: Math.round(v.mean),
        usual_peak: Math.round(v.peak),
        threshold,
        action: ctx.input.event.action,
        ip: ctx.input.event.sourceIp,
      },
    };
  },
  teach(profile, facts, _now, o) {
    if (facts.calls === null) return profile;
    // Taught as a usual peak: the same hour is then below peakFactor × peak.
    const volume = { ...profile.volume, peak: Math.max(profile.volume.peak, facts.calls) };
    return { ...profile, volume: { ...volume, threshold: thresholdOf(volume, o) } };
  },
});

/**
 * Adds a finished hour to the statistics. Once the distribution is trusted, an hour enters as at most
 * `PEAK_STEP` × the usual peak (an alerted hour as the usual peak), so one attack — or the ramp before it —
 * does not teach the key that 50× is normal, while real growth still moves it hour by hour; a busy hour
 * that is normal after all is taught by feedback (`teach`).
 */
function closeHour(v: VolumeStats, count: number, o: Options): VolumeStats {
  const alerted = v.threshold > 0 && count >= v.threshold;
  const trusted = v.hours >= o.minActiveHours;
  const c = alerted ? Math.round(v.peak) : trusted ? Math.min(count, Math.ceil(PEAK_STEP * v.peak)) : count;
  const hours = Math.min(v.hours + 1, VOLUME_MEMORY_HOURS);
  const w = 1 / hours;
  const next = {
    hours,
    mean: v.mean + w * (c - v.mean),
    meanSq: v.meanSq + w * (c * c - v.meanSq),
    peak: alerted ? v.peak : Math.max(c, v.peak * PEAK_DECAY),
    threshold: 0,
  };
  next.threshold = thresholdOf(next, o);
  return next;
}

function thresholdOf(v: VolumeStats, o: Options): number {
  const variance = Math.max(0, v.meanSq - v.mean * v.mean);
  // A short history cannot show how bursty the key is: assume bursty (CV 1) until the hours say otherwise.
  const prior = v.mean + v.mean * v.mean;
  const blended = (v.hours * variance + PRIOR_HOURS * prior) / (v.hours + PRIOR_HOURS);
  const quantile = negativeBinomialQuantile(v.mean, blended, o.tailProbability);
  return Math.max(o.minCalls, quantile, Math.ceil(o.peakFactor * v.peak));
}

function ratio(a: number, b: number): string {
  return b > 0 ? (a / b).toFixed(1) : '∞';
}
