import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { plural } from '../text.ts';
import { DAY } from './shared.ts';

export const keyAge = defineDetector({
  id: 'key_age',
  name: 'Key older than its rotation policy',
  options: z.strictObject({}),
  state: [],
  // The finding repeats on every call until someone rotates the key: one alert a month is enough.
  groupWindowSeconds: 30 * DAY,
  evaluate(ctx) {
    const { key } = ctx.input;
    if (key.created === null || key.rotationDays === null) return null;
    const created = Date.parse(key.created) / 1000;
    const ageDays = Math.floor((ctx.now - created) / DAY);
    if (Number.isNaN(ageDays) || ageDays <= key.rotationDays) return null;
    // One reminder per key per 30 days past its rotation date is enough.
    const period = Math.floor((ageDays - key.rotationDays) / 30);
    return {
      score: 25,
      reason: `is still in use (${ctx.input.event.action}) ${plural(ageDays, 'day')} after it was created`,
      baseline: `rotation policy: every ${plural(key.rotationDays, 'day')} (created ${key.created})`,
      groupValue: String(period),
      evidence: { age_days: ageDays, rotation_days: key.rotationDays, created: key.created },
    };
  },
});
