import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { plural } from '../text.ts';
import { DAY } from './shared.ts';

export const dormantKey = defineDetector({
  id: 'dormant_key',
  name: 'Dormant key became active',
  options: z.strictObject({
    /** A call after this many days of silence. */
    days: z.number().positive().default(30),
  }),
  state: [],
  evaluate(ctx) {
    if (ctx.profile.events === 0) return null;
    const idleDays = Math.floor((ctx.now - ctx.profile.lastSeen) / DAY);
    if (idleDays < ctx.options.days) return null;
    const { event } = ctx.input;
    return {
      score: 50,
      reason: `became active (${event.action} from ${event.sourceIp ?? event.sourceAddress ?? 'unknown address'}) after ${plural(idleDays, 'day')} of silence`,
      baseline: `last call before this one: ${new Date(ctx.profile.lastSeen * 1000).toISOString()}; dormant after ${ctx.options.days} days`,
      groupValue: String(ctx.profile.lastSeen),
      evidence: { idle_days: idleDays, action: event.action, ip: event.sourceIp },
    };
  },
});
