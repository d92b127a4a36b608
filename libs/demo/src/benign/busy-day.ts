import { routineCall } from '../mixes.ts';
import type { Call } from '../model.ts';
import type { Scenario } from '../scenario.ts';
import { addDays, formatDate, wallClock } from '../time.ts';

/**
 * A one-off busy day (a sale, a month-end close, a backfill): the key does its usual work two to three
 * times over, all day long, at its usual hours, from its usual host.
 */
export const oneOffBusyDay: Scenario = {
  kind: 'one_off_busy_day',
  detectors: [],
  eligible: (key) => key.rhythm !== 'ci',
  inject({ key, window, dayIndex, rng, routine }) {
    const date = formatDate(addDays(window.start, dayIndex));
    const localDate = (ms: number) => formatDate(wallClock(ms, key.timezone));
    const usual = routine.filter((c) => localDate(c.ms) === date);
    if (usual.length === 0) return null;
    const factor = rng.float(2, 3);
    const extra: Call[] = [];
    for (const c of usual) {
      const copies = Math.floor(factor - 1) + (rng.chance((factor - 1) % 1) ? 1 : 0);
      for (let i = 0; i < copies; i++) extra.push(routineCall(key, c.ms + rng.int(-600, 600) * 1000, rng));
    }
    const calls = [...usual, ...extra].sort((a, b) => a.ms - b.ms);
    return {
      calls,
      description: `${key.name} (${key.keyId}) had a busy day on ${date} (${key.timezone}): ${calls.length} calls instead of its usual ${usual.length}, at its usual hours.`,
    };
  },
};
