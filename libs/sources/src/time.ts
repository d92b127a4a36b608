import { canonicalMillis, EVENT_TIME_RANGE } from '@keywatch/event';
/**
 * Timestamps as providers (and exports of their logs) write them, turned into ISO 8601 UTC with
 * milliseconds. Returns null for anything it cannot read with confidence; callers name the field.
 */

export type EpochUnit = 'ms' | 's';

/** ISO 8601 / RFC 3339, also with a space for `T` and no zone (Panther's `YYYY-MM-DD HH:MM:SS.fff`): UTC. */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,12}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** Common Log Format, as API Gateway's `$context.requestTime`: `04/Mar/2026:02:17:09 +0000`. */
const CLF = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{2})(\d{2})$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const EPOCH = /^\d{1,16}(?:\.\d+)?(?:e[+]?\d+)?$/i;

/** Earliest and latest accepted call times (documented in docs/canonical-event.md): outside is a unit or parsing mistake. */
const { minMs: MIN_MS, maxMs: MAX_MS } = EVENT_TIME_RANGE;

export function parseTime(value: unknown, unit: EpochUnit = 'ms'): string | null {
  const compact = typeof value === 'string' ? compactUtc(value) : null;
  if (compact !== null) return compact;
  let ms: number | null = null;
  if (typeof value === 'number') ms = fromEpoch(value, unit);
  else if (typeof value === 'string') {
    const s = value.trim();
    if (s.length > 64) return null;
    ms = EPOCH.test(s) ? fromEpoch(Number(s), unit) : (fromDateTime(s) ?? fromClf(s));
  }
  return ms !== null && ms >= MIN_MS && ms < MAX_MS ? new Date(ms).toISOString() : null;
}

function fromEpoch(n: number, unit: EpochUnit): number | null {
  if (!Number.isFinite(n)) return null;
  return Math.floor(unit === 's' ? n * 1000 : n);
}

/**
 * CloudTrail's own `YYYY-MM-DDTHH:MM:SSZ`, read without a regex or a Date: when it is a real time in
 * the plausible range its ISO form only gains milliseconds. Null sends anything else down the general path
 * (which also clamps a leap second).
 */
function compactUtc(s: string): string | null {
  if (s.length !== 20) return null;
  const ms = canonicalMillis(s);
  return ms >= MIN_MS && ms < MAX_MS ? `${s.slice(0, 19)}.000Z` : null;
}

function fromDateTime(s: string): number | null {
  const m = DATE_TIME.exec(s);
  if (m === null) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone = 'Z'] = m;
  const millis = Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = utcOrNull(+y!, +mo!, +d!, +h, +mi, +sec, millis);
  return utc === null ? null : utc - zoneOffsetMs(zone);
}

function fromClf(s: string): number | null {
  const m = CLF.exec(s);
  if (m === null) return null;
  const [, d, mon, y, h, mi, sec, zh, zm] = m;
  const month = MONTHS.indexOf(mon!.toLowerCase()) + 1;
  if (month === 0) return null;
  const utc = utcOrNull(+y!, month, +d!, +h!, +mi!, +sec!, 0);
  return utc === null ? null : utc - zoneOffsetMs(`${zh}:${zm}`);
}

/** Date.UTC rolls 2026-02-31 over into March; a real timestamp never does, so reject it. */
function utcOrNull(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | null {
  if (h > 23 || mi > 59 || s > 60) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms);
  const check = new Date(t);
  return check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d ? t : null;
}

function zoneOffsetMs(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || '0');
  return sign * (hours * 60 + minutes) * 60_000;
}
