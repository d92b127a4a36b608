import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { plural } from '../text.ts';
import { DAY, known } from './shared.ts';

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
    minActiveDays: z.number().int().min(1).default(3),
    /** ...and on at least this share of the days of its life. */
    minActiveShare: z.number().min(0).max(1).default(0.4),
  }),
  state: ['activeDays', 'longestGap', 'lastSeen', 'userAgents', 'prefixes', 'asns'],
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
    // Before the fallback, a regular key's return is judged with its source: from its own client and
    // network it is a pause (context); from a new one, the abandoned credential woken by someone else.
    const f = ctx.facts;
    const asn = ctx.input.geo?.asn;
    const newClient = f.userAgentFamily !== null && p.userAgents.length > 0 && !known(p.userAgents, f.userAgentHash, ctx);
    const newNetwork =
      f.network !== null &&
      p.prefixes.length > 0 &&
      !known(p.prefixes, f.networkHash, ctx) &&
      (asn == null || !known(p.asns, asn, ctx));
    const standalone = !regular || idle >= o.fallbackDays * DAY || newClient || newNetwork;
    const longest = Math.round((p.longestGap / DAY) * 10) / 10;
    return {
      score: standalone ? (regular ? 55 : 50) : 30,
      standalone,
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
