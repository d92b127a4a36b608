import type { Scenario } from '../scenario.ts';
import { addDays, DAY_MS, formatDate, isoSeconds } from '../time.ts';

/**
 * A declared key reaches the end of its rotation period during the window and nobody rotates it: the
 * bot keeps working as always, with a key its owners promised to replace. Every call from that day on
 * uses an over-age key; nothing else about them is unusual.
 */
export const keyPastRotation: Scenario = {
  kind: 'key_past_rotation',
  detectors: ['key_age'],
  eligible: (key) => key.registered,
  inject({ key, window, dayIndex, routine }) {
    const overdueFrom = window.startMs + dayIndex * DAY_MS;
    const calls = routine.filter((c) => c.ms >= overdueFrom);
    // The key should be seen in use on the day it becomes overdue.
    if (calls.length === 0 || (calls[0]?.ms ?? 0) >= overdueFrom + DAY_MS) return null;
    // keywatch counts whole days of age: over `rotationDays` from 00:00 UTC of day `dayIndex`.
    const created = formatDate(addDays(window.start, dayIndex - key.rotationDays - 1));
    return {
      calls,
      created,
      description:
        `Key past its rotation date: ${key.name} (${key.keyId}), created ${created} with a ${key.rotationDays}-day rotation policy, ` +
        `is still in use from ${isoSeconds(calls[0]?.ms ?? overdueFrom)} on (${calls.length} calls).`,
    };
  },
};
