import { routineCall } from '../mixes.ts';
import type { Call } from '../model.ts';
import type { Scenario } from '../scenario.ts';
import { addDays, isoSeconds, isoWeekday, localToUtc, wallClock } from '../time.ts';
import { summarizeActions } from './attack-steps.ts';

/**
 * A key that works weekdays during the day in its team's timezone is used at 01:00-04:00 local, from its usual
 * address and client (an insider, or a copy of the script on a forgotten cron). Only the hour is wrong.
 */
export const offHoursUse: Scenario = {
  kind: 'off_hours_use',
  detectors: ['off_hours'],
  // Declared hours or not: a key that never works at night is judged on its own learned hours too.
  eligible: (key) => key.provider === 'aws' && key.rhythm === 'business',
  inject({ key, window, dayIndex, rng }) {
    const date = addDays(window.start, dayIndex);
    // The night between two working days (Tue-Fri 03:00), so nothing near it looks like normal work.
    if (isoWeekday(date) < 2 || isoWeekday(date) > 5) return null;
    const start = localToUtc(date, rng.int(1, 4), rng.int(0, 20), key.timezone) + rng.int(0, 59) * 1000;
    if (start < window.startMs || start >= window.endMs) return null;
    const n = rng.int(15, 40);
    const calls: Call[] = [];
    for (let i = 0; i < n; i++) calls.push(routineCall(key, start + rng.int(0, 25 * 60) * 1000, rng));
    calls.sort((a, b) => a.ms - b.ms);
    const first = calls[0]?.ms ?? start;
    const local = wallClock(first, key.timezone);
    const hhmm = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
    return {
      calls,
      description:
        `Off-hours use: ${key.name} (${key.keyId}) works weekdays ${hhmmOf(key.workday.startMinute)}-${hhmmOf(key.workday.endMinute)} ${key.timezone}, but made ${n} calls ` +
        `from ${hhmm} local (${isoSeconds(first)}): ${summarizeActions(calls)}.`,
    };
  },
};

function hhmmOf(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
