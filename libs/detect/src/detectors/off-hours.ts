import { z } from 'zod';
import { type DetectorContext, defineDetector } from '../detector.ts';
import { activityBucket } from '../profile.ts';
import { historyPhrase, pct } from '../text.ts';
import type { Verdict } from '../types.ts';
import { DAY, known, localClock, WEEKDAYS } from './shared.ts';

/** Activity histogram total above which all buckets are halved: old habits fade, recent ones count. */
const ACTIVITY_DECAY_AT = 4000;

const options = z.strictObject({
  /** Without declared business hours: the hour (±1) must hold less than this share of past activity. */
  minShare: z.number().min(0).max(1).default(0.005),
  /** ...and fewer than this many calls (decayed): "normally idle" means (nearly) never, not "less". */
  maxUsualCalls: z.number().min(0).default(2),
  /** ...and the key must have at least this much (decayed) activity recorded... */
  minActivity: z.number().min(0).default(100),
  /** ...over at least this many days: an hour-of-day rhythm needs a week to show. */
  minHistoryDays: z.number().min(0).default(7),
});
type Options = z.infer<typeof options>;

export const offHours = defineDetector({
  id: 'off_hours',
  name: 'Key used outside its hours',
  options,
  state: ['activity'],
  learn({ input }, next) {
    const activity = next.activity.slice();
    const bucket = activityBucket(input.time.localHour, input.time.localWeekday);
    activity[bucket] = (activity[bucket] ?? 0) + 1;
    if (activity.reduce((a, b) => a + b, 0) > ACTIVITY_DECAY_AT) {
      for (let i = 0; i < activity.length; i++) activity[i] = (activity[i] ?? 0) / 2;
    }
    next.activity = activity;
  },
  evaluate(ctx): Verdict | null {
    const { time, key, event } = ctx.input;
    if (key.businessHours !== null) {
      if (time.withinBusinessHours !== false) return null;
      const local = localClock(time);
      const bh = key.businessHours;
      return {
        score: 40,
        reason: `called ${event.action} at ${local}, outside its declared business hours`,
        baseline: `declared business hours ${bh.start}-${bh.end} on ${bh.days.map((d) => WEEKDAYS[d - 1]).join(', ')} (${time.timezone})`,
        groupValue: '',
        evidence: { local_time: local, action: event.action, ip: event.sourceIp },
      };
    }
    if (!ctx.learned) return null;
    const act = ctx.profile.activity;
    const total = act.reduce((a, b) => a + b, 0);
    const o = ctx.options;
    if (total < o.minActivity || ctx.now - ctx.profile.firstSeen < o.minHistoryDays * DAY) return null;
    const b = activityBucket(time.localHour, time.localWeekday);
    // A key that has not lived through two weekends yet: judge its weekend calls by its weekday hours.
    const sawWeekends = ctx.now - ctx.profile.firstSeen >= 14 * DAY;
    const base = b < 24 || !sawWeekends ? 0 : 24;
    const h = b % 24;
    const near = (act[base + ((h + 23) % 24)] ?? 0) + (act[base + h] ?? 0) + (act[base + ((h + 1) % 24)] ?? 0);
    const share = near / total;
    if (share >= o.minShare || near >= o.maxUsualCalls) return null;
    const weekend = base === 24;
    const local = localClock(time);
    return {
      score: 40,
      standalone: !(weekend && usualWeekdayHour(act, h, o) && familiarSource(ctx)),
      reason: `called ${event.action} at ${local}, a time of ${weekend ? 'the weekend' : 'day'} when it is normally idle`,
      baseline: `${pct(share)} of its activity falls within an hour of ${String(h).padStart(2, '0')}:00 on ${weekend ? 'weekends' : 'weekdays'} (${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)})`,
      groupValue: '',
      evidence: { local_time: local, action: event.action, ip: event.sourceIp, usual_share: Number(share.toFixed(4)) },
    };
  },
  teach(profile, facts, _now, o) {
    if (!facts.time) return profile;
    const activity = profile.activity.slice();
    const total = activity.reduce((a, b) => a + b, 0);
    const b = activityBucket(facts.time.localHour, facts.time.localWeekday);
    activity[b] = Math.max(activity[b] ?? 0, total * o.minShare * 2, 1);
    return { ...profile, activity };
  },
});

/** True when the key works at this hour on weekdays: a weekend call then differs only by the day. */
function usualWeekdayHour(act: readonly number[], hour: number, o: Options): boolean {
  const weekdays = act.slice(0, 24).reduce((a, b) => a + b, 0);
  const near = (act[(hour + 23) % 24] ?? 0) + (act[hour] ?? 0) + (act[(hour + 1) % 24] ?? 0);
  return weekdays > 0 && near / weekdays >= o.minShare && near >= o.maxUsualCalls;
}

/** The call comes from a network and client the key already uses (the on-call engineer re-running a job). */
function familiarSource(ctx: DetectorContext<Options>): boolean {
  const { prefix, networkHash, userAgentFamily, userAgentHash } = ctx.facts;
  // With a prefix, the network hash is the prefix's.
  const networkKnown = prefix !== null && known(ctx.profile.prefixes, networkHash, ctx) !== undefined;
  const clientKnown = userAgentFamily !== null && known(ctx.profile.userAgents, userAgentHash, ctx) !== undefined;
  return networkKnown && clientKnown;
}
