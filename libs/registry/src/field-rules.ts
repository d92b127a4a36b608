import { parseCidr } from './cidr.ts';
import { describe, type Issues, type Path } from './issues.ts';

/**
 * Validators of single registry values. Each returns the clean value, or undefined after recording why
 * the value is bad (undefined never is a valid value: absent fields are handled by the caller).
 */
export type Rule<T> = (value: unknown, path: Path, issues: Issues) => T | undefined;

export const text: Rule<string> = (value, path, issues) => {
  if (typeof value !== 'string') return issues.add(path, `must be a string, got ${describe(value)}`);
  if (value.trim() === '') return issues.add(path, 'must not be empty');
  return value;
};

export const nullable =
  <T>(rule: Rule<T>): Rule<T | null> =>
  (value, path, issues) =>
    value === null ? null : rule(value, path, issues);

export const listOf =
  <T>(rule: Rule<T>): Rule<T[]> =>
  (value, path, issues) => {
    if (!Array.isArray(value)) return issues.add(path, `must be a list, got ${describe(value)}`);
    const items = value.map((item, i) => rule(item, [...path, i], issues));
    return items.every((item) => item !== undefined) ? (items as T[]) : undefined;
  };

export const credentialId: Rule<string> = (value, path, issues) => {
  if (typeof value === 'number') return issues.add(path, `must be a string, got ${value}; quote numeric ids: "${value}"`);
  const id = text(value, path, issues);
  if (id !== undefined && id !== id.trim()) return issues.add(path, `must not start or end with spaces, got ${describe(id)}`);
  return id;
};

export const scope: Rule<'read-only' | 'read-write'> = (value, path, issues) =>
  value === 'read-only' || value === 'read-write'
    ? value
    : issues.add(path, `must be "read-only" or "read-write", got ${describe(value)}`);

export const timezone: Rule<string> = (value, path, issues) => {
  const zone = text(value, path, issues);
  if (zone === undefined) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return issues.add(path, `unknown IANA timezone "${zone}"`);
  }
};

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

export const clockTime =
  (allowMidnightEnd: boolean): Rule<string> =>
  (value, path, issues) => {
    if (typeof value === 'string' && (CLOCK.test(value) || (allowMidnightEnd && value === '24:00'))) return value;
    const range = allowMidnightEnd ? '00:00-24:00' : '00:00-23:59';
    return issues.add(path, `must be a time "HH:MM" (${range}), got ${describe(value)}`);
  };

export const weekdays: Rule<number[]> = (value, path, issues) => {
  const day: Rule<number> = (item, itemPath) =>
    Number.isInteger(item) && (item as number) >= 1 && (item as number) <= 7
      ? (item as number)
      : issues.add(itemPath, `must be an ISO weekday 1 (Monday) .. 7 (Sunday), got ${describe(item)}`);
  const days = listOf(day)(value, path, issues);
  if (days === undefined) return undefined;
  if (days.length === 0) return issues.add(path, 'must list at least one day');
  const repeated = days.find((d, i) => days.indexOf(d) !== i);
  if (repeated !== undefined) return issues.add(path, `lists day ${repeated} twice`);
  return days;
};

export const cidr: Rule<string> = (value, path, issues) => {
  const entry = text(value, path, issues);
  if (entry === undefined) return undefined;
  return parseCidr(entry) === null
    ? issues.add(path, `must be a CIDR like "203.0.113.0/24" or "2001:db8::/32" (or a single address), got ${describe(entry)}`)
    : entry;
};

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
/** Codes Intl knows that are not ISO 3166-1 countries, with what to write instead. */
const NOT_COUNTRIES: Readonly<Record<string, string>> = {
  UK: 'use "GB" for the United Kingdom',
  EU: 'the EU is not a country; list its member states',
};

/** ISO 3166-1 alpha-2, any case in the file, upper case in the result (as geo lookups report it). */
export const countryCode: Rule<string> = (value, path, issues) => {
  const code = typeof value === 'string' ? value.toUpperCase() : undefined;
  if (code === undefined || !/^[A-Z]{2}$/.test(code)) {
    return issues.add(path, `must be a 2-letter ISO 3166-1 country code like "US", got ${describe(value)}`);
  }
  const hint = NOT_COUNTRIES[code];
  if (hint !== undefined) return issues.add(path, `"${value}" is not an ISO 3166-1 country code: ${hint}`);
  if (regionNames.of(code) === undefined) return issues.add(path, `unknown country code ${describe(value)}`);
  return code;
};

export const calendarDate: Rule<string> = (value, path, issues) => {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (match === null) return issues.add(path, `must be a date "YYYY-MM-DD", got ${describe(value)}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return issues.add(path, `is not a calendar date: ${describe(value)}`);
  }
  return value as string;
};

export const positiveInteger: Rule<number> = (value, path, issues) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? value
    : issues.add(path, `must be a positive whole number of days, got ${describe(value)}`);
