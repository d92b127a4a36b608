import type { BusinessHours } from './types.ts';

const CLOCK = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/** Minutes since midnight of an `HH:MM` clock time (`24:00` = 1440). Throws naming the field. */
export function clockMinutes(value: string, field: string): number {
  const match = CLOCK.exec(value);
  if (match === null) throw new Error(`businessHours.${field}: expected "HH:MM", got "${value}"`);
  const hours = match[1] ?? match[3] ?? '';
  const minutes = match[2] ?? match[4] ?? '';
  return Number(hours) * 60 + Number(minutes);
}

/**
 * Whether a local time falls in the declared hours. `days` are the days a shift starts on; when end <=
 * start the shift runs past midnight, so the early-morning part belongs to the previous day's shift
 * (Fri 22:00-06:00 covers Saturday 03:00, not Monday 03:00).
 */
export function isWithinBusinessHours(hours: BusinessHours, isoWeekday: number, minuteOfDay: number): boolean {
  const start = clockMinutes(hours.start, 'start');
  const end = clockMinutes(hours.end, 'end');
  const startsToday = hours.days.includes(isoWeekday);
  if (start < end) return startsToday && minuteOfDay >= start && minuteOfDay < end;
  const previousDay = isoWeekday === 1 ? 7 : isoWeekday - 1;
  return (startsToday && minuteOfDay >= start) || (hours.days.includes(previousDay) && minuteOfDay < end);
}
