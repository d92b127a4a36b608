/** Small readers for untrusted JSON: they never throw and never return the wrong type. */

/** Longest string copied from a record into an event. */
export const MAX_FIELD_LENGTH = 1024;

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function own(record: unknown, key: string): unknown {
  if (!isObject(record)) return undefined;
  // A missing field (most lookups of optional ones) reads undefined without the own-property check; a
  // value found may still be inherited (`constructor`), so it is checked.
  const value = record[key];
  return value !== undefined && Object.hasOwn(record, key) ? value : undefined;
}

/**
 * A field by its documented name, or the spellings found in exported data: all lower case
 * (`eventname`) and Panther's `at_sign_` for `@` (`at_sign_timestamp`).
 */
export function field(record: unknown, name: string): unknown {
  const exact = own(record, name);
  if (exact !== undefined) return exact;
  const lower = own(record, lowerCase(name));
  if (lower !== undefined) return lower;
  return name.startsWith('@') ? own(record, `at_sign_${name.slice(1)}`) : undefined;
}

/** Field names are a few constants: lower-casing them once saves a string per missing field and record. */
const LOWER_NAMES = new Map<string, string>();

function lowerCase(name: string): string {
  let lower = LOWER_NAMES.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (LOWER_NAMES.size < 1000) LOWER_NAMES.set(name, lower);
  }
  return lower;
}

/** Value at a dotted path (`request.headers.apikey`); array indexes are path segments too. */
export function atPath(record: unknown, path: string): unknown {
  let current: unknown = record;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) current = /^\d+$/.test(segment) ? current[Number(segment)] : undefined;
    else current = own(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

export function cap(value: string): string {
  return value.length > MAX_FIELD_LENGTH ? value.slice(0, MAX_FIELD_LENGTH) : value;
}

/** A non-empty string, trimmed and capped; anything else is null. */
export function str(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : cap(trimmed);
}

/** Like `str`, but numbers count too: ids are logged as either (`token_id: 5550001`). */
export function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return String(value);
  return str(value);
}

/** First non-null result of `read` over the given paths. */
export function firstAt<T>(record: unknown, paths: string | readonly string[], read: (v: unknown) => T | null): T | null {
  for (const path of typeof paths === 'string' ? [paths] : paths) {
    const value = read(atPath(record, path));
    if (value !== null) return value;
  }
  return null;
}
