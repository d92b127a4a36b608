import { type BusinessHours, isWithinBusinessHours } from '@keywatch/enrich';
import { z } from 'zod';
import { type DetectorContext, defineDetector } from '../detector.ts';
import { ACTIVITY_BUCKETS, activityBucket, type Profile } from '../profile.ts';
import { historyPhrase } from '../text.ts';
import type { Verdict } from '../types.ts';
import { DAY, known, localClock, WEEKDAYS } from './shared.ts';

/** A bucket that would pass this is halved with the rest: old habits fade, and a bucket fits one byte. */
const ACTIVITY_MAX = 255;
/** Farther than this from every usual hour is as unusual as it gets. */
const MAX_DEPTH = 12;

const options = z.strictObject({
  /** Learned hours count once the key has this much history... */
  minHistoryDays: z.number().min(0).default(7),
  /** ...and was active on at least this many days: a rhythm needs repetitions to show. */
  minActiveDays: z.number().int().min(0).default(6),
  /** A call this many hours (to the minute) or fewer from a usual hour (a late finish, an early start) is context, not an alert. */
  graceHours: z.number().min(0).max(MAX_DEPTH).default(2),
  /** Risk of a call deep in unused hours; each further hour adds `scorePerHour`, a new client or network 15 each. */
  score: z.number().min(0).max(100).default(40),
  scorePerHour: z.number().min(0).max(20).default(4),
});
type Options = z.infer<typeof options>;

/**
 * Judges the hour of a call against the hours the key is expected to work: its declared business hours
 * and the hours its own history shows (a 168-bucket hour-of-week histogram of active clock hours). An
 * hour it uses is nothing; an hour next to one it uses (grace) is context; an hour it never uses on
 * similar days, further away, alerts, more severely the further away and when the client or network is new too.
 * A weekend call at an hour the key works on weekdays, from its own client and network, is context.
 */
export const offHours = defineDetector({
  id: 'off_hours',
  name: 'Key used outside its hours',
  options,
  state: ['activity', 'hour', 'activeDays', 'firstSeen'],
  learn({ input, now, profile }, next) {
    // One count per clock hour with calls: the histogram says in how many hours, not how many calls.
    if (profile.events > 0 && now < profile.hour.start + 3600) return;
    const b = activityBucket(input.time.localHour, input.time.localWeekday);
    const activity = next.activity.slice();
    if (activity[b]! >= ACTIVITY_MAX) for (let i = 0; i < activity.length; i++) activity[i] = Math.floor(activity[i]! / 2);
    activity[b] = activity[b]! + 1;
    next.activity = activity;
  },
  evaluate(ctx): Verdict | null {
    const { time, key, event } = ctx.input;
    const declared = key.businessHours === null ? null : declaredMask(key.businessHours);
    const o = ctx.options;
    const mature = ctx.now - ctx.profile.firstSeen >= o.minHistoryDays * DAY && ctx.profile.activeDays >= o.minActiveDays;
    if (declared === null && !mature) return null;
    const used = (b: number) => declared?.[b] === true || (mature && ctx.profile.activity[b]! > 0);
    const b = activityBucket(time.localHour, time.localWeekday);
    if (used(b)) return null;

    const day = time.localWeekday - 1;
    const hour = time.localHour;
    // Days like this one: declared business days (or Mon-Fri without declarations) versus the others.
    const workday = (d: number) => (key.businessHours ? key.businessHours.days.includes(d + 1) : d < 5);
    // Used at this hour on days like this one: nothing unusual.
    if (
      distance(
        usedHours(used, (d) => workday(d) === workday(day)),
        hour,
      ) === 0
    )
      return null;
    // Otherwise the distance to the hours it works on any day; 0 means only the day differs (a weekend
    // call at a weekday hour), which is judged by the source.
    const depth = distance(
      usedHours(used, () => true),
      hour,
    );
    const borrowed = depth === 0;
    if (depth > MAX_DEPTH) return null;
    const novelty = newSources(ctx);
    const local = localClock(time);
    const clock = `${String(hour).padStart(2, '0')}:00`;
    const expected = declared !== null ? describeDeclared(key.businessHours!, time.timezone) : 'no declared hours';
    const history = historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now);
    const evidence = {
      local_time: local,
      action: event.action,
      ip: event.sourceIp,
      hours_from_usual: Math.round(depth * 10) / 10,
      new_client: novelty.client,
      new_network: novelty.network,
    };
    const dayKind = borrowed ? `a ${WEEKDAYS[day]}, a day it does not work at this hour,` : WEEKDAYS[day];
    // Only the day differs (borrowed hours, depth 0): weak unless the client or network is new too.
    const weak = depth === 0 ? !novelty.client && !novelty.network : depth <= o.graceHours;
    const score = weak
      ? Math.round(15 + 5 * depth)
      : Math.min(
          90,
          o.score +
            o.scorePerHour * Math.max(0, depth - o.graceHours - 1) +
            (novelty.client ? 15 : 0) +
            (novelty.network ? 15 : 0),
        );
    const extra = [novelty.client ? 'a new client' : null, novelty.network ? 'a new network' : null]
      .filter(Boolean)
      .join(' and ');
    return {
      score,
      standalone: !weak,
      reason:
        depth === 0
          ? `called ${event.action} at ${local}, on ${dayKind} at an hour it works on other days${extra ? `, from ${extra}` : ''}`
          : `called ${event.action} at ${local} on ${dayKind}, ${Math.round(depth * 10) / 10} hours from any hour it works${extra ? `, from ${extra}` : ''}`,
      baseline: `${expected}; ${mature ? `its own hours: ${activeHoursPhrase(ctx.profile)} (${history}), none at ${clock} on such days` : `its own hours are not known yet (${history})`}`,
      groupValue: '',
      evidence,
    };
  },
  teach(profile, facts) {
    if (!facts.time) return profile;
    const activity = profile.activity.slice();
    const b = activityBucket(facts.time.localHour, facts.time.localWeekday);
    // Counted as a habit of a few weeks, so the next call at this hour is usual.
    activity[b] = Math.min(ACTIVITY_MAX, Math.max(activity[b]!, 3));
    return { ...profile, activity };
  },
  unlearn(profile, facts) {
    if (!facts.time) return profile;
    const activity = profile.activity.slice();
    const b = activityBucket(facts.time.localHour, facts.time.localWeekday);
    activity[b] = Math.max(0, activity[b]! - 1);
    return { ...profile, activity };
  },
});

/** For each hour of the day: used on at least one of the days `similar` picks. */
function usedHours(used: (b: number) => boolean, similar: (d: number) => boolean): boolean[] {
  const hours = new Array<boolean>(24).fill(false);
  for (let d = 0; d < 7; d++) {
    if (!similar(d)) continue;
    for (let h = 0; h < 24; h++) if (used(d * 24 + h)) hours[h] = true;
  }
  return hours;
}

/**
 * Hours (around the clock, to the minute when `minute` is given) from `hour:minute` to the nearest used
 * hour of the day: 19:15 is 1.25 hours after a last used hour 17:00-18:00. 0 inside a used hour;
 * MAX_DEPTH + 1 when none is used.
 */
function distance(hours: readonly boolean[], hour: number, minute = 0): number {
  if (hours[hour]) return 0;
  let best = MAX_DEPTH + 1;
  for (let d = 1; d <= MAX_DEPTH; d++) {
    if (hours[(hour + d) % 24]) best = Math.min(best, (d * 60 - minute) / 60);
    if (hours[(hour - d + 24) % 24]) best = Math.min(best, ((d - 1) * 60 + minute) / 60);
  }
  return best;
}

/** Declared hours as a 168-slot mask: an hour counts when any of its minutes is declared. Cached per declaration. */
const MASKS = new WeakMap<BusinessHours, boolean[]>();
function declaredMask(bh: BusinessHours): boolean[] {
  let mask = MASKS.get(bh);
  if (mask === undefined) {
    mask = new Array<boolean>(ACTIVITY_BUCKETS).fill(false);
    for (let b = 0; b < ACTIVITY_BUCKETS; b++) {
      const day = Math.floor(b / 24) + 1;
      const minute = (b % 24) * 60;
      mask[b] = isWithinBusinessHours(bh, day, minute) || isWithinBusinessHours(bh, day, minute + 59);
    }
    MASKS.set(bh, mask);
  }
  return mask;
}

function describeDeclared(bh: BusinessHours, timezone: string): string {
  return `declared business hours ${bh.start}-${bh.end} on ${bh.days.map((d) => WEEKDAYS[d - 1]).join(', ')} (${timezone})`;
}

/** `Mon-Fri 08-18h`-style summary of the hours the key has used: the first and last hour on weekdays and weekends. */
function activeHoursPhrase(p: Profile): string {
  const span = (days: number[]) => {
    const hours = usedHours(
      (b) => p.activity[b]! > 0,
      (d) => days.includes(d),
    );
    const first = hours.indexOf(true);
    if (first < 0) return null;
    return `${String(first).padStart(2, '0')}-${String(hours.lastIndexOf(true) + 1).padStart(2, '0')}h`;
  };
  const weekdays = span([0, 1, 2, 3, 4]);
  const weekends = span([5, 6]);
  return [weekdays ? `weekdays ${weekdays}` : null, weekends ? `weekends ${weekends}` : 'never on weekends']
    .filter(Boolean)
    .join(', ');
}

/** Whether the call's client family and network (its /24 and its ASN) are new to the key; unknown during learning. */
function newSources(ctx: DetectorContext<Options>): { client: boolean; network: boolean } {
  if (!ctx.learned) return { client: false, network: false };
  const { userAgentFamily, userAgentHash, networkHash, network } = ctx.facts;
  const client =
    userAgentFamily !== null &&
    ctx.profile.userAgents.length > 0 &&
    known(ctx.profile.userAgents, userAgentHash, ctx) === undefined;
  const asn = ctx.input.geo?.asn;
  const prefixKnown = network !== null && known(ctx.profile.prefixes, networkHash, ctx) !== undefined;
  const asnKnown = asn != null && known(ctx.profile.asns, asn, ctx) !== undefined;
  return { client, network: network !== null && ctx.profile.prefixes.length > 0 && !prefixKnown && !asnKnown };
}
