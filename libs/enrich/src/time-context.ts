import { tzOffset } from '@date-fns/tz';
import { canonicalMillis } from '@keywatch/event';
import { isWithinBusinessHours } from './business-hours.ts';
import { assertTimezone } from './timezone.ts';
import type { BusinessHours, TimeInfo } from './types.ts';

/** ISO 8601 with an explicit offset: without one, Date.parse would use the machine's timezone. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * When an event happened from the key's point of view: hour, weekday and date in its own timezone
 * (DST-correct: the zone's UTC offset at that instant), its hour-of-week slot, and whether that is
 * inside its declared business hours.
 * Throws on an invalid time or an unknown timezone: callers pass validated values.
 */
export function timeContext(isoTime: string, timezone: string | null, businessHours?: BusinessHours | null): TimeInfo {
  // The canonical form first: it passes the regex, and reading it by hand costs a fraction of the regex and Date.parse.
  const canonical = canonicalMillis(isoTime);
  const millis = !Number.isNaN(canonical) ? canonical : ISO_WITH_OFFSET.test(isoTime) ? Date.parse(isoTime) : Number.NaN;
  if (Number.isNaN(millis)) throw new Error(`timeContext: invalid ISO 8601 time "${isoTime}" (needs a Z or ±HH:MM offset)`);
  const zone = timezone ?? 'UTC';
  assertTimezone(zone);

  // The key's wall clock: the UTC fields of the instant shifted by the zone's offset (as TZDate does).
  const local = millis + offsetSeconds(zone, millis) * 1000;
  const localHour = hourOf(local);
  const localMinute = floorMod(Math.floor(local / MINUTE_MS), 60);
  const localWeekday = isoWeekdayOf(local);
  return {
    utcHour: hourOf(millis),
    utcWeekday: isoWeekdayOf(millis),
    timezone: zone,
    localHour,
    localMinute,
    localWeekday,
    hourOfWeek: (localWeekday - 1) * 24 + localHour,
    localDate: dateOf(local),
    withinBusinessHours:
      businessHours == null ? null : isWithinBusinessHours(businessHours, localWeekday, localHour * 60 + localMinute),
  };
}

/** Offsets are remembered per 15-minute UTC slot: today's switches all fall on slot boundaries. */
const SLOT_MS = 15 * 60_000;
/** Slots remembered per zone (about 100 days' worth); the zone's map starts over when full. */
const MAX_SLOTS_PER_ZONE = 10_000;
const offsetSlots = new Map<string, Map<number, number>>();

/**
 * The zone's UTC offset in seconds at `millis`. Asking Intl (through tzOffset) costs microseconds,
 * so the answer is cached for the whole slot when the offset is the same at both ends of it; a slot
 * with a switch inside (only historical offsets have those) is computed for each instant.
 */
function offsetSeconds(zone: string, millis: number): number {
  const slot = Math.floor(millis / SLOT_MS);
  let slots = offsetSlots.get(zone);
  if (slots === undefined) {
    slots = new Map();
    offsetSlots.set(zone, slots);
  }
  const cached = slots.get(slot);
  if (cached !== undefined) return cached;
  const start = slot * SLOT_MS;
  const atStart = offsetAt(zone, start);
  if (atStart !== offsetAt(zone, start + SLOT_MS - 1)) return offsetAt(zone, millis);
  if (slots.size >= MAX_SLOTS_PER_ZONE) slots.clear();
  slots.set(slot, atStart);
  return atStart;
}

/** Rounded to whole seconds exactly as TZDate does (historical offsets have fractional minutes). */
function offsetAt(zone: string, millis: number): number {
  return -Math.round(-tzOffset(zone, new Date(millis)) * 60);
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

function floorMod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

function hourOf(millis: number): number {
  return floorMod(Math.floor(millis / HOUR_MS), 24);
}

/** ISO weekday (1 = Monday .. 7 = Sunday); day 0 of the epoch was a Thursday. */
function isoWeekdayOf(millis: number): number {
  return floorMod(Math.floor(millis / DAY_MS) + 3, 7) + 1;
}

/** `YYYY-MM-DD` of the day holding `millis` (UTC fields), remembered per day: events come in bursts. */
const DATES = new Map<number, string>();
const DATE_CACHE_LIMIT = 4096;

function dateOf(millis: number): string {
  const day = Math.floor(millis / DAY_MS);
  let date = DATES.get(day);
  if (date === undefined) {
    const d = new Date(day * DAY_MS);
    date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
    if (DATES.size >= DATE_CACHE_LIMIT) DATES.clear();
    DATES.set(day, date);
  }
  return date;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
