import { isoWeekday, parseDate } from './time.ts';
import type { DemoOptions } from './types.ts';

/**
 * Three weeks (long enough for a key to pause 10-20 days and come back) of 40 keys: runs end to end in
 * well under a minute.
 */
export const DEFAULT_DEMO: DemoOptions = Object.freeze({ seed: 7, keys: 40, days: 21, start: '2026-03-02' });

export function resolveOptions(options: Partial<DemoOptions> = {}): DemoOptions {
  const o: DemoOptions = { ...DEFAULT_DEMO, ...options };
  if (!Number.isInteger(o.seed)) throw new Error(`seed: must be an integer, got ${o.seed}`);
  if (!Number.isInteger(o.keys) || o.keys < 1 || o.keys > 10_000)
    throw new Error(`keys: must be an integer from 1 to 10000, got ${o.keys}`);
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 366)
    throw new Error(`days: must be an integer from 1 to 366, got ${o.days}`);
  if (isoWeekday(parseDate(o.start)) !== 1) throw new Error(`start: must be a Monday, got ${o.start}`);
  return o;
}
