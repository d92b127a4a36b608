import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { plural } from '../text.ts';
import { DAY } from './shared.ts';

const UINT16_MAX = 0xffff;

/**
 * Silence judged against the key's own rhythm. A key seen on enough days, most days of its life (a
 * regular key), is dormant after `gapFactor` × the longest silence it has had before (a daily key whose
 * longest gap is a 3-day weekend: 9 days), never before `floorDays`; any other key after `fallbackDays`,
 * which is also the most a regular key's threshold can grow to. Independent of the learning period.
 */
export const dormantKey = defineDetector({
  id: 'dormant_key',
  name: 'Dormant key became active',
  options: z.strictObject({
    /** The absolute floor: no silence shorter than this is dormancy. */
    floorDays: z.number().positive().default(7),
    /** Keys without a known rhythm (irregular, or too young to tell): dormant after this many days. */
    fallbackDays: z.number().positive().default(30),
    /** A regular key is dormant after this many times its longest previous silence. */
    gapFactor: z.number().min(1).default(3),
    /** Regular means: active on at least this many days... */
    minActiveDays: z.number().int().min(1).default(10),
    /** ...and on at least this share of the days of its life. */
    minActiveShare: z.number().min(0).max(1).default(0.4),
  }),
  state: ['activeDays', 'longestGap', 'lastSeen'],
  learn({ profile, now }, next) {
    if (profile.events === 0 || Math.floor(now / DAY) !== Math.floor(profile.lastSeen / DAY)) {
      next.activeDays = Math.min(UINT16_MAX, profile.activeDays + 1);
    }
    if (profile.events > 0 && now - profile.lastSeen > profile.longestGap) next.longestGap = now - profile.lastSeen;
  },
  evaluate(ctx) {
    const p = ctx.profile;
    if (p.events === 0) return null;
    const o = ctx.options;
    const idle = ctx.now - p.lastSeen;
    if (idle < o.floorDays * DAY) return null;
    const lifeDays = Math.max(1, Math.ceil((p.lastSeen - p.firstSeen) / DAY) + 1);
    const regular = p.activeDays >= o.minActiveDays && p.activeDays / lifeDays >= o.minActiveShare;
    const thresholdDays = regular
      ? Math.min(o.fallbackDays, Math.max(o.floorDays, (o.gapFactor * p.longestGap) / DAY))
      : o.fallbackDays;
    if (idle < thresholdDays * DAY) return null;
    const idleDays = Math.floor(idle / DAY);
    const { event } = ctx.input;
    const longest = Math.round((p.longestGap / DAY) * 10) / 10;
    return {
      score: regular ? 55 : 50,
      reason: `became active (${event.action} from ${event.sourceIp ?? event.sourceAddress ?? 'unknown address'}) after ${plural(idleDays, 'day')} of silence`,
      baseline: regular
        ? `active on ${p.activeDays} of ${plural(lifeDays, 'day')}, its longest silence before was ${longest} days; dormant after ${Math.round(thresholdDays * 10) / 10} days (last call ${new Date(p.lastSeen * 1000).toISOString()})`
        : `no regular rhythm known (active on ${p.activeDays} of ${plural(lifeDays, 'day')}); dormant after ${o.fallbackDays} days (last call ${new Date(p.lastSeen * 1000).toISOString()})`,
      groupValue: String(p.lastSeen),
      evidence: {
        idle_days: idleDays,
        longest_gap_days: longest,
        threshold_days: Math.round(thresholdDays * 10) / 10,
        active_days: p.activeDays,
        action: event.action,
        ip: event.sourceIp,
      },
    };
  },
});
