import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { activityBucket } from '../profile.ts';
import { plural } from '../text.ts';

/** Hourly rates follow slowly, and one hour can lift them by at most 4x its current value: a one-off busy day barely moves them. */
const HOURLY_RATE_SMOOTHING = 0.1;
const HOURLY_RATE_MAX_STEP = 4;

export const volumeSpike = defineDetector({
  id: 'volume_spike',
  name: 'Spike of call volume',
  options: z.strictObject({
    /** Calls in one clock hour at least this many... */
    minCalls: z.number().int().min(1).default(100),
    /** ...and this many times the key's usual rate for that hour of the week. */
    factor: z.number().min(1).default(6),
  }),
  state: ['hour', 'hourlyRate'],
  learn({ input, now }, next) {
    let { hour, hourlyRate } = next;
    if (now >= hour.start + 3600) {
      if (hour.count > 0) {
        hourlyRate = hourlyRate.slice();
        const rate = hourlyRate[hour.bucket] ?? 0;
        hourlyRate[hour.bucket] =
          rate === 0 ? hour.count : rate + HOURLY_RATE_SMOOTHING * (Math.min(hour.count, rate * HOURLY_RATE_MAX_STEP) - rate);
      }
      hour = { start: now - (now % 3600), count: 0, bucket: activityBucket(input.time.localHour, input.time.localWeekday) };
    }
    next.hour = { ...hour, count: hour.count + 1 };
    next.hourlyRate = hourlyRate;
  },
  evaluate(ctx) {
    if (!ctx.learned) return null;
    const o = ctx.options;
    // The clock hour after this call has been counted.
    const hour = ctx.next.hour;
    if (hour.count < o.minCalls) return null;
    const usual = ctx.profile.hourlyRate[hour.bucket] ?? 0;
    const overall = ctx.profile.hourlyRate.reduce((a, b) => Math.max(a, b), 0);
    // Compare with the busier of this hour's usual rate and a quarter of the key's busiest hour, so a key
    // that is merely early today is not a spike; an hour of the week it has never worked in is compared
    // with its busiest hour (a first busy weekend is not exfiltration).
    const reference = Math.max(usual, usual === 0 ? overall : overall / 4, 1);
    const threshold = Math.max(o.minCalls, reference * o.factor);
    // Once per clock hour: when the count crosses the threshold, not on every call after it.
    if (hour.count < threshold || hour.count - 1 >= threshold) return null;
    return {
      score: 50,
      reason: `made ${plural(hour.count, 'call')} within one hour (latest: ${ctx.input.event.action})`,
      baseline: `its usual rate at this hour of the week is about ${Math.round(usual)} calls (busiest hour about ${Math.round(overall)})`,
      groupValue: '',
      evidence: {
        calls: hour.count,
        usual_per_hour: Math.round(usual),
        action: ctx.input.event.action,
        ip: ctx.input.event.sourceIp,
      },
    };
  },
  teach(profile, facts, _now, o) {
    if (facts.calls === null) return profile;
    const rates = profile.hourlyRate.slice();
    const b = facts.time ? activityBucket(facts.time.localHour, facts.time.localWeekday) : profile.hour.bucket;
    rates[b] = Math.max(rates[b] ?? 0, facts.calls / o.factor + 1);
    return { ...profile, hourlyRate: rates };
  },
});
