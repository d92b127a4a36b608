import { routineCall } from '../mixes.ts';
import type { Call } from '../model.ts';
import { WORKDAY } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { addDays, isoSeconds, isoWeekday, localToUtc } from '../time.ts';

/** A day's work runs 30 minutes past its usual end (still inside the declared business hours). */
export const lateDaytimeRun: Scenario = {
  kind: 'late_daytime_run',
  detectors: [],
  eligible: (key) => key.provider === 'aws' && key.registered && key.rhythm === 'business',
  inject({ key, window, dayIndex, rng }) {
    const date = addDays(window.start, dayIndex);
    if (isoWeekday(date) > 5) return null;
    const start = localToUtc(date, 0, WORKDAY.endMinute, key.timezone);
    if (start < window.startMs || start + 30 * 60_000 >= window.endMs) return null;
    const n = rng.int(15, 35);
    const calls: Call[] = [];
    for (let i = 0; i < n; i++) calls.push(routineCall(key, start + rng.int(0, 30 * 60 - 1) * 1000, rng));
    calls.sort((a, b) => a.ms - b.ms);
    return {
      calls,
      description: `${key.name} (${key.keyId}) kept working until 18:30 ${key.timezone} on ${isoSeconds(start).slice(0, 10)} (${n} calls after its usual 18:00 end; declared hours end 19:00).`,
    };
  },
};
