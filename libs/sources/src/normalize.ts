import { createFingerprinter, type Fingerprinter, lineHoldsNoSecret, redactString } from '@keywatch/secrets';
import { isElementError } from './adapter.ts';
import { detectFormat } from './detect-format.ts';
import { isObject, own } from './fields.ts';
import { type SourceFormat, sourceDefinition } from './formats.ts';
import { parseJson } from './json.ts';
import { redactForDeadLetter, redactRecord } from './redact.ts';
import { RecordRejected, RecordSkipped } from './rejection.ts';
import type { DeadLetterReason, ExpectedField, NormalizeOptions, NormalizeResult } from './types.ts';

/**
 * Turns one input record into canonical events and dead letters. Pure, and never throws on data:
 * one record may hold many provider records (a trail file, a CloudWatch batch, a JSON array), and a
 * bad one costs only its own dead letter. Everything returned has been redacted.
 */
export function normalizeRecord(value: unknown, options: NormalizeOptions, text?: string): NormalizeResult {
  const result: NormalizeResult = { events: [], deadLetters: [], skipped: [], incomplete: [], records: 0 };
  // `text` is what `value` was parsed from: when its pre-scan rules out every secret, the walk is skipped.
  const clean = text !== undefined && lineHoldsNoSecret(text);
  if (Array.isArray(value) && value.length > 0) {
    for (const [i, item] of value.entries()) normalizeGuarded(item, `[${i}]`, options, result, clean);
  } else normalizeGuarded(value, '', options, result, clean);
  return result;
}

/** `JSON.parse` + `normalizeRecord` (a leading BOM ignored); a line that is not JSON becomes an `invalid_json` dead letter. */
export function normalizeLine(line: string, options: NormalizeOptions): NormalizeResult {
  // A BOM (a Windows shipper, a file pasted into a Kafka producer) is not part of the record.
  if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
  const none = { events: [], skipped: [], incomplete: [], records: 1 };
  if (line.trim() === '') return { ...none, deadLetters: [{ reason: 'empty_record', message: 'blank line', record: '' }] };
  const parsed = parseJson(line);
  if (!parsed.ok)
    return { ...none, deadLetters: [{ reason: 'invalid_json', message: parsed.error, record: redactForDeadLetter(line) }] };
  return normalizeRecord(parsed.value, options, line);
}

function normalizeGuarded(
  value: unknown,
  path: string,
  options: NormalizeOptions,
  result: NormalizeResult,
  clean: boolean,
): void {
  try {
    normalizeOne(value, path, options, result, clean);
  } catch (error) {
    // Only a bug can get here (adapters report through RecordRejected); still, the stream goes on.
    addDeadLetter(result, 'invalid_field', `${path || '(record)'}: normalize failed: ${messageOf(error)}`, value);
  }
}

function normalizeOne(value: unknown, path: string, options: NormalizeOptions, result: NormalizeResult, clean: boolean): void {
  if (isEmpty(value)) {
    result.records++;
    addDeadLetter(result, 'empty_record', `${path || '(record)'}: empty record`, value);
    return;
  }
  const format: SourceFormat | null = options.format === 'auto' ? detectFormat(value) : options.format;
  if (format === null) {
    result.records++;
    addDeadLetter(result, 'unknown_format', `${path || '(record)'}: not a recognised format (${describeShape(value)})`, value);
    return;
  }
  const adapter = sourceDefinition(format).adapter(options);
  const items = adapter.unwrap(value);
  result.records += items.length;
  if (items.length === 0 && own(value, 'messageType') !== 'CONTROL_MESSAGE') {
    result.records++;
    addDeadLetter(result, 'empty_record', `${path || '(record)'}: envelope holds no records`, value);
  }
  for (const item of items) {
    const itemPath = join(path, item.path);
    if (isElementError(item)) {
      addDeadLetter(result, item.reason, path === '' ? item.message : `${path}.${item.message}`, item.raw);
      continue;
    }
    if (isEmpty(item.value)) {
      addDeadLetter(result, 'empty_record', `${itemPath || '(record)'}: empty record`, item.value);
      continue;
    }
    let redacted: unknown = null;
    try {
      const mapper = adapter.mapperFor(item.value);
      // Paths forced secret (a gateway's `secretFields`) are judged by the walk alone.
      const { record, secrets } =
        clean && mapper.secretPaths.length === 0
          ? { record: item.value, secrets: [] }
          : redactRecord(item.value, itemPath, {
              secretPaths: mapper.secretPaths,
              ...(mapper.routinePaths ? { routinePaths: mapper.routinePaths } : {}),
              ...(options.fingerprintKey ? { fingerprint: fingerprinterFor(options.fingerprintKey) } : {}),
            });
      redacted = record;
      const missing: ExpectedField[] = [];
      const event = mapper.map(record, secrets, missing);
      result.events.push(event);
      if (missing.length > 0) result.incomplete.push({ eventId: event.id, missing });
    } catch (error) {
      if (error instanceof RecordSkipped) {
        result.skipped.push({ reason: error.reason, message: itemPath === '' ? error.message : `${itemPath}: ${error.message}` });
        continue;
      }
      const reason: DeadLetterReason = error instanceof RecordRejected ? error.reason : 'invalid_field';
      const where = itemPath === '' ? '' : `${itemPath}: `;
      result.deadLetters.push({
        reason,
        message: `${where}${messageOf(error)}`,
        record: redacted ?? redactForDeadLetter(item.value),
      });
    }
  }
}

function addDeadLetter(result: NormalizeResult, reason: DeadLetterReason, message: string, record: unknown): void {
  result.deadLetters.push({ reason, message, record: redactForDeadLetter(record) });
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && !hasOwnKey(value);
}

/** Like `Object.keys(value).length > 0`, without building the array of a record's keys. */
function hasOwnKey(value: object): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}

function describeShape(value: unknown): string {
  if (!isObject(value)) return `a JSON ${Array.isArray(value) ? 'array' : typeof value}`;
  const keys = Object.keys(value);
  // Keys are record content too: a token used as a key must not reach the message.
  const shown = keys.slice(0, 5).map((k) => {
    const safe = redactString(k).text;
    return safe.length > 40 ? `${safe.slice(0, 40)}…` : safe;
  });
  return `keys: ${shown.join(', ')}${keys.length > 5 ? ', …' : ''}`;
}

function join(base: string, path: string): string {
  if (base === '') return path;
  if (path === '') return base;
  return path.startsWith('[') ? `${base}${path}` : `${base}.${path}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One fingerprinter per key, not one per record. */
const FINGERPRINTERS = new WeakMap<Uint8Array, Fingerprinter>();

function fingerprinterFor(key: Uint8Array): Fingerprinter {
  let f = FINGERPRINTERS.get(key);
  if (f === undefined) {
    f = createFingerprinter(key);
    FINGERPRINTERS.set(key, f);
  }
  return f;
}
