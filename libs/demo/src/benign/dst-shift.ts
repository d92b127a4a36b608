import type { Window } from '../model.ts';
import { LEARNING_DAYS } from '../plan.ts';
import type { Scenario } from '../scenario.ts';
import { DAY_MS, HOUR_MS, isoSeconds, offsetMs } from '../time.ts';

const changes = new Map<string, number | null>();

/** The first instant after the learning period at which the timezone's UTC offset changes, or null. */
export function dstChange(timeZone: string, window: Window): number | null {
  const id = `${timeZone} ${window.startMs} ${window.endMs}`;
  if (!changes.has(id)) changes.set(id, findChange(timeZone, window));
  return changes.get(id) ?? null;
}

function findChange(timeZone: string, window: Window): number | null {
  const from = window.startMs + LEARNING_DAYS * DAY_MS;
  let before = offsetMs(from, timeZone);
  for (let t = from + HOUR_MS; t < window.endMs; t += HOUR_MS) {
    const now = offsetMs(t, timeZone);
    if (now !== before) return t;
    before = now;
  }
  return null;
}

/**
 * Daylight saving time starts or ends in the key's timezone: its team keeps its local hours, so every
 * call from then on comes an hour earlier or later in UTC. The label covers the calls after the change.
 */
export const dstShift: Scenario = {
  kind: 'dst_shift',
  detectors: [],
  eligible: (key, window) => (key.rhythm === 'business' || key.rhythm === 'ci') && dstChange(key.timezone, window) !== null,
  inject({ key, window, routine }) {
    const change = dstChange(key.timezone, window);
    if (change === null) return null;
    const shifted = routine.filter((c) => c.ms >= change);
    if (shifted.length === 0) return null;
    const hours = (offsetMs(change, key.timezone) - offsetMs(change - HOUR_MS, key.timezone)) / HOUR_MS;
    return {
      calls: shifted,
      description: `${key.name} (${key.keyId}) works in ${key.timezone}, which moved its clocks by ${hours > 0 ? '+' : ''}${hours} h at ${isoSeconds(change)}: its ${shifted.length} calls since then come ${hours > 0 ? 'an hour earlier' : 'an hour later'} in UTC.`,
    };
  },
};
