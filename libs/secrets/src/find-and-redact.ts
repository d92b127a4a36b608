import type { FoundSecret } from '@keywatch/event';
import { fingerprint } from './fingerprint.ts';
import { dottedToPath, indexPath, keyPath } from './json-path.ts';
import { secretKindForKey } from './key-names.ts';
import { TRIGGER_CHARACTER } from './patterns.ts';
import { isPlaceholder } from './placeholder.ts';
import { MIN_SECRET_LENGTH, marker, redactString } from './redact-string.ts';

export interface RedactOptions {
  /** Path of `record` inside a larger document, prefixed to every finding (`Records[3]`). */
  path?: string;
  /** Dotted paths (relative to `record`) whose string values are raw keys whatever their name. */
  secretPaths?: readonly string[];
}

export interface RedactionResult {
  /**
   * The value with every secret replaced by `[REDACTED:<kind>]`. The input is never modified: what
   * changes is copied, and objects and arrays holding no secret are returned as they are.
   */
  redacted: unknown;
  secrets: FoundSecret[];
}

/** Deeper than any real audit record; hostile nesting is cut here instead of overflowing the stack. */
const MAX_DEPTH = 64;
const TOO_DEEP = '[TRUNCATED:too_deep]';
const CIRCULAR = '[TRUNCATED:circular]';
const FORCED_KIND = 'api_key';

/**
 * Where a value sits, built as a linked list while walking and turned into text only when a secret
 * is reported: most values hold none, and building every path string would dominate the cost.
 */
type Location = { parent: Location; segment: string | number } | null;

interface Walk {
  base: string;
  secrets: FoundSecret[];
  forcedPaths: ReadonlySet<string>;
  /** Objects and arrays being walked, outermost first (at most MAX_DEPTH): a cycle meets one again. */
  ancestors: object[];
}

/**
 * Deep-walks any JSON value and redacts every secret it finds: known token formats anywhere in any
 * string (redacted in place), and whole values under secret-named keys (`password`, `apikey`, …).
 */
export function findAndRedact(record: unknown, options: RedactOptions = {}): RedactionResult {
  const base = options.path ?? '';
  const walk: Walk = {
    base,
    secrets: [],
    forcedPaths: new Set((options.secretPaths ?? []).map((p) => dottedToPath(base, p))),
    ancestors: [],
  };
  const redacted = visit(record, null, null, null, 0, walk);
  return { redacted, secrets: walk.secrets };
}

/**
 * The value sits at `segment` of `parent` (segment null: at `parent` itself, the root). Its location
 * object is built only when needed, to walk into it or to report a finding: most values are strings
 * holding nothing.
 */
function visit(
  value: unknown,
  parent: Location,
  segment: string | number | null,
  keyKind: string | null,
  depth: number,
  walk: Walk,
): unknown {
  const forced = walk.forcedPaths.size > 0 && walk.forcedPaths.has(render(locate(parent, segment), walk.base));
  const kind = forced ? FORCED_KIND : keyKind;
  if (typeof value === 'string') return redactValue(value, parent, segment, kind, walk);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (walk.ancestors.includes(value)) return CIRCULAR;
  walk.ancestors.push(value);
  try {
    const at = locate(parent, segment);
    if (Array.isArray(value)) return visitArray(value, at, kind, depth, walk);
    return visitObject(value as Record<string, unknown>, at, depth, walk);
  } finally {
    walk.ancestors.pop();
  }
}

function locate(parent: Location, segment: string | number | null): Location {
  return segment === null ? parent : { parent, segment };
}

/**
 * Copy-on-write: most records hold no secret, so a plain array whose items all come back unchanged
 * is returned as it is, and a copy is made only once an item changes. Other arrays are always rebuilt.
 */
function visitArray(value: unknown[], at: Location, kind: string | null, depth: number, walk: Walk): unknown[] {
  if (Object.getPrototypeOf(value) !== Array.prototype) {
    return value.map((item, i) => visit(item, at, i, kind, depth + 1, walk));
  }
  let out: unknown[] | null = null;
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) continue; // a hole stays a hole, as with map
    const item = value[i];
    const redacted = visit(item, at, i, kind, depth + 1, walk);
    if (out === null && redacted !== item) out = value.slice();
    if (out !== null) out[i] = redacted;
  }
  return out ?? value;
}

/**
 * Copy-on-write as for arrays: a plain object whose keys and values all come back unchanged is
 * returned as it is. Anything else (another prototype, a changed key or value) gets a new plain object.
 */
function visitObject(value: Record<string, unknown>, at: Location, depth: number, walk: Walk): Record<string, unknown> {
  let out: Record<string, unknown> | null = Object.getPrototypeOf(value) === Object.prototype ? null : {};
  // Only a `value` key needs its sibling name's verdict: most objects have none, and reading the four
  // name keys of every object costs more than the rest of its walk.
  let pairKind: string | null | undefined;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const rawKey = keys[i]!;
    const child = value[rawKey];
    const key = redactKey(rawKey, at, walk);
    const isValueKey = key === 'value' || key === 'Value';
    if (isValueKey && pairKind === undefined) pairKind = nameValueKind(value);
    const childKind = isValueKey && pairKind != null ? pairKind : kindForKey(key);
    const redactedChild = visit(child, at, key, childKind, depth + 1, walk);
    if (out === null && (key !== rawKey || redactedChild !== child)) out = copyKeys(value, keys, i);
    if (out !== null) setData(out, key, redactedChild);
  }
  return out ?? value;
}

/** A new plain object holding the first `count` keys of `value`, which came back unchanged. */
function copyKeys(value: Record<string, unknown>, keys: readonly string[], count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) setData(out, keys[i]!, value[keys[i]!]);
  return out;
}

function setData(out: Record<string, unknown>, key: string, value: unknown): void {
  // A `__proto__` key from JSON must stay data: assigning it would set the prototype instead.
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function redactValue(
  value: string,
  parent: Location,
  segment: string | number | null,
  keyKind: string | null,
  walk: Walk,
): string {
  if (keyKind === null) return redactFreeText(value, parent, segment, walk);
  const at = locate(parent, segment);
  const embedded = redactString(value);
  const wholeValueIsSecret =
    keyKind !== null &&
    !isPlaceholder(value) &&
    !value.startsWith('arn:') &&
    (keyKind === FORCED_KIND || value.length >= MIN_SECRET_LENGTH) &&
    !onlySecretsLeft(embedded.text, embedded.findings.length);
  if (wholeValueIsSecret) {
    report(walk, keyKind, at, value);
    return marker(keyKind);
  }
  for (const f of embedded.findings) report(walk, f.kind, at, f.value);
  return embedded.text;
}

/**
 * A value under an ordinary key: only embedded secrets count. Records repeat the same user agents,
 * ARNs and hosts, so strings already found clean are remembered (bounded: the set starts over when full).
 */
function redactFreeText(value: string, parent: Location, segment: string | number | null, walk: Walk): string {
  if (value.length < MIN_SECRET_LENGTH || !TRIGGER_CHARACTER.test(value) || CLEAN_VALUES.has(value)) return value;
  const { text, findings } = redactString(value);
  if (findings.length === 0 && value.length <= CLEAN_VALUE_MAX_LENGTH) {
    if (CLEAN_VALUES.size >= CLEAN_VALUE_LIMIT) CLEAN_VALUES.clear();
    CLEAN_VALUES.add(value);
  }
  for (const f of findings) report(walk, f.kind, locate(parent, segment), f.value);
  return text;
}

/** Small on purpose: a lookup in a large set misses the CPU caches and costs as much as the scan. */
const CLEAN_VALUE_LIMIT = 2048;
/** Long strings (messages, documents) rarely repeat and would make the set large. */
const CLEAN_VALUE_MAX_LENGTH = 512;
const CLEAN_VALUES = new Set<string>();

/** Keys are scanned for token formats too: nothing raw may survive, even as a key. */
function redactKey(key: string, parent: Location, walk: Walk): string {
  if (CLEAN_KEYS.has(key)) return key;
  const { text, findings } = redactString(key);
  for (const f of findings) report(walk, f.kind, parent, f.value);
  if (findings.length === 0 && CLEAN_KEYS.size < KEY_CACHE_LIMIT) CLEAN_KEYS.add(key);
  return text;
}

const NAME_KEYS = ['name', 'Name', 'key', 'Key'];

/**
 * Environment variables are logged as `{name, value}` pairs (ECS task definitions, CodeBuild, Lambda,
 * Kubernetes): the secret-looking name sits beside the value, not above it.
 */
function nameValueKind(obj: Record<string, unknown>): string | null {
  for (const k of NAME_KEYS) {
    const name = obj[k];
    if (typeof name === 'string' && name.length <= 128) {
      // Not through the key cache: names are values, often unique (S3 object keys), and would fill it.
      const kind = secretKindForKey(name);
      if (kind !== null) return kind;
    }
  }
  return null;
}

/** Records repeat the same few hundred keys; remembering their verdicts halves the walk's cost. */
const KEY_CACHE_LIMIT = 10_000;
const CLEAN_KEYS = new Set<string>();
const KEY_KINDS = new Map<string, string | null>();

function kindForKey(key: string): string | null {
  const cached = KEY_KINDS.get(key);
  if (cached !== undefined) return cached;
  const kind = secretKindForKey(key);
  if (KEY_KINDS.size < KEY_CACHE_LIMIT) KEY_KINDS.set(key, kind);
  return kind;
}

/**
 * True when the embedded detectors already removed everything secret-like from a secret-named value,
 * e.g. `Bearer [REDACTED:jwt]`: the precise finding is kept instead of blanking the whole value.
 */
function onlySecretsLeft(text: string, findingCount: number): boolean {
  if (findingCount === 0) return false;
  const residue = text
    .replace(/\[REDACTED:[a-z0-9_]+\]/g, '')
    .replace(/\b(?:bearer|basic|token)\b/gi, '')
    .replace(/[\s:=,;'"]/g, '');
  return residue.length < MIN_SECRET_LENGTH;
}

function report(walk: Walk, kind: string, at: Location, secret: string): void {
  const path = render(at, walk.base);
  walk.secrets.push({ kind, path: path === '' ? '$' : path, fingerprint: fingerprint(secret) });
}

function render(at: Location, base: string): string {
  if (at === null) return base;
  const parent = render(at.parent, base);
  return typeof at.segment === 'number' ? indexPath(parent, at.segment) : keyPath(parent, at.segment);
}
