/**
 * Epoch milliseconds of an ISO 8601 time, as `Date.parse` gives them. The canonical event time
 * (`2026-01-02T16:42:51.000Z`, what every adapter writes; also CloudTrail's `2026-01-02T16:42:51Z`) is read
 * digit by digit: `Date.parse` and the regex in front of it were most of `timeContext` and a fifth of the
 * detection core's own time (docs/benchmarks.md). Here, with the event, because adapters (which write the
 * time), enrichment and the detection core all read it. Anything else, including a time that is not a real one
 * (`2026-02-30`, `24:00`), goes to `Date.parse`, so the result is always its result.
 */
export function isoMillis(iso: string): number {
  const fast = canonicalMillis(iso);
  return Number.isNaN(fast) ? Date.parse(iso) : fast;
}

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ` (the canonical form) or `YYYY-MM-DDTHH:MM:SSZ` (CloudTrail's) read by hand, or NaN
 * when `s` is not exactly one of them with a real date and time.
 */
export function canonicalMillis(s: string): number {
  const withMillis = s.length === 24;
  if (!withMillis && s.length !== 20) return Number.NaN;
  if (s.charCodeAt(s.length - 1) !== 90 /* Z */ || s.charCodeAt(10) !== 84 /* T */) return Number.NaN;
  if (withMillis && s.charCodeAt(19) !== 46 /* . */) return Number.NaN;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Number.NaN;
  const y = asciiDigits(s, 0, 4);
  const mo = asciiDigits(s, 5, 2);
  const d = asciiDigits(s, 8, 2);
  const h = asciiDigits(s, 11, 2);
  const mi = asciiDigits(s, 14, 2);
  const sec = asciiDigits(s, 17, 2);
  const ms = withMillis ? asciiDigits(s, 20, 3) : 0;
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return Number.NaN;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms < 0) return Number.NaN;
  return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60_000 + sec * 1000 + ms;
}

/** The number written by `length` ASCII digits at `start`, or -1 if any is not a digit. */
function asciiDigits(s: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`), exact for years 0-9999. */
function daysFromCivil(y: number, mo: number, d: number): number {
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
