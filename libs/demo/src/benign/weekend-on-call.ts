import { routineCall } from '../mixes.ts';
import type { Call } from '../model.ts';
import type { Scenario } from '../scenario.ts';
import { addDays, isoSeconds, isoWeekday, localToUtc } from '../time.ts';

/**
 * The on-call engineer re-runs a weekday job on a Saturday or Sunday afternoon: a few ordinary calls, from
 * the usual host and client. Only for keys without declared business hours: on a key declared Mon-Fri,
 * a weekend call is exactly what its owners asked to hear about.
 */
export const weekendOnCall: Scenario = {
  kind: 'weekend_on_call',
  detectors: [],
  eligible: (key) => key.provider === 'aws' && key.rhythm === 'business' && !key.registered,
  inject({ key, window, dayIndex, rng }) {
    const date = addDays(window.start, dayIndex);
    if (isoWeekday(date) < 6) return null;
    const start = localToUtc(date, rng.int(10, 17), rng.int(0, 59), key.timezone);
    if (start < window.startMs || start >= window.endMs) return null;
    const n = rng.int(3, 12);
    const calls: Call[] = [];
    for (let i = 0; i < n; i++) calls.push(routineCall(key, start + rng.int(0, 15 * 60) * 1000, rng));
    calls.sort((a, b) => a.ms - b.ms);
    return {
      calls,
      description: `${key.name} (${key.keyId}), a weekday key, made ${n} calls on a ${isoWeekday(date) === 6 ? 'Saturday' : 'Sunday'} at ${isoSeconds(start)} (${key.timezone}): the on-call engineer re-ran a job.`,
    };
  },
};
