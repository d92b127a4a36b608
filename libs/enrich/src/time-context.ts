import { TZDate } from '@date-fns/tz';
import { isWithinBusinessHours } from './business-hours.ts';
import { assertTimezone } from './timezone.ts';
import type { BusinessHours, TimeInfo } from './types.ts';

/** ISO 8601 with an explicit offset: without one, Date.parse would use the machine's timezone. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * When an event happened from the key's point of view: hour, weekday and date in its own timezone
 * (DST-correct via TZDate), its hour-of-week slot, and whether that is inside its declared business hours.
 * Throws on an invalid time or an unknown timezone: callers pass validated values.
 */
export function timeContext(isoTime: string, timezone: string | null, businessHours?: BusinessHours | null): TimeInfo {
  const millis = ISO_WITH_OFFSET.test(isoTime) ? Date.parse(isoTime) : Number.NaN;
  if (Number.isNaN(millis)) throw new Error(`timeContext: invalid ISO 8601 time "${isoTime}" (needs a Z or ±HH:MM offset)`);
  const zone = timezone ?? 'UTC';
  assertTimezone(zone);

  const utc = new Date(millis);
  const local = new TZDate(millis, zone);
  const localHour = local.getHours();
  const localMinute = local.getMinutes();
  const localWeekday = isoWeekday(local.getDay());
  return {
    utcHour: utc.getUTCHours(),
    utcWeekday: isoWeekday(utc.getUTCDay()),
    timezone: zone,
    localHour,
    localMinute,
    localWeekday,
    hourOfWeek: (localWeekday - 1) * 24 + localHour,
    localDate: `${pad(local.getFullYear(), 4)}-${pad(local.getMonth() + 1, 2)}-${pad(local.getDate(), 2)}`,
    withinBusinessHours:
      businessHours == null ? null : isWithinBusinessHours(businessHours, localWeekday, localHour * 60 + localMinute),
  };
}

/** JS weekday (0 = Sunday) -> ISO weekday (1 = Monday .. 7 = Sunday). */
function isoWeekday(jsDay: number): number {
  return jsDay === 0 ? 7 : jsDay;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
