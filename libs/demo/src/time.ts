/** Calendar arithmetic in a key's own timezone, via Intl (DST-correct, no dependency). */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A calendar date without a timezone. */
export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a timezone. */
export function wallClock(ms: number, timeZone: string): LocalDate & { hour: number; minute: number; weekday: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const year = parts.year ?? 0;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  return { year, month, day, hour: parts.hour ?? 0, minute: parts.minute ?? 0, weekday: isoWeekday({ year, month, day }) };
}

/** Offset of a timezone from UTC at an instant, in ms (Berlin in winter: +3 600 000). */
export function offsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const second = new Date(ms).getUTCSeconds();
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, second);
  return asUtc - (ms - (ms % 1000));
}

/** The UTC instant of a local wall-clock time (`hour` may exceed 23 to roll into the next day). */
export function localToUtc(date: LocalDate, hour: number, minute: number, timeZone: string): number {
  const guess = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const first = guess - offsetMs(guess, timeZone);
  const second = guess - offsetMs(first, timeZone);
  return second;
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function isoWeekday(date: LocalDate): number {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return d === 0 ? 7 : d;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function parseDate(iso: string): LocalDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const date = m === null ? null : { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (date === null || formatDate(addDays(date, 0)) !== iso) {
    throw new Error(`start: expected an ISO date YYYY-MM-DD, got ${JSON.stringify(iso)}`);
  }
  return date;
}

export function formatDate(date: LocalDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** CloudTrail's eventTime: UTC with second precision (`2026-03-04T02:17:09Z`). */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
