import type { FoundSecret } from '@keywatch/event';
import { fingerprint } from './fingerprint.ts';
import { dottedToPath, indexPath, keyPath } from './json-path.ts';
import { secretKindForKey } from './key-names.ts';
import { isPlaceholder } from './placeholder.ts';
import { MIN_SECRET_LENGTH, marker, redactString } from './redact-string.ts';

export interface RedactOptions {
  /** Path of `record` inside a larger document, prefixed to every finding (`Records[3]`). */
  path?: string;
  /** Dotted paths (relative to `record`) whose string values are raw keys whatever their name. */
  secretPaths?: readonly string[];
}

export interface RedactionResult {
  /** A new value with every secret replaced by `[REDACTED:<kind>]`; the input is never modified. */
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
  ancestors: Set<object>;
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
    ancestors: new Set(),
  };
  const redacted = visit(record, null, null, 0, walk);
  return { redacted, secrets: walk.secrets };
}

function visit(value: unknown, at: Location, keyKind: string | null, depth: number, walk: Walk): unknown {
  const kind = walk.forcedPaths.size > 0 && walk.forcedPaths.has(render(at, walk.base)) ? FORCED_KIND : keyKind;
  if (typeof value === 'string') return redactValue(value, at, kind, walk);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (walk.ancestors.has(value)) return CIRCULAR;
  walk.ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item, i) => visit(item, { parent: at, segment: i }, kind, depth + 1, walk));
    const out: Record<string, unknown> = {};
    const pairKind = nameValueKind(value as Record<string, unknown>);
    for (const [rawKey, child] of Object.entries(value)) {
      const key = redactKey(rawKey, at, walk);
      const childKind = pairKind !== null && VALUE_KEYS.has(key) ? pairKind : kindForKey(key);
      const redactedChild = visit(child, { parent: at, segment: key }, childKind, depth + 1, walk);
      // A `__proto__` key from JSON must stay data: assigning it would set the prototype instead.
      if (key === '__proto__')
        Object.defineProperty(out, key, { value: redactedChild, enumerable: true, writable: true, configurable: true });
      else out[key] = redactedChild;
    }
    return out;
  } finally {
    walk.ancestors.delete(value);
  }
}

function redactValue(value: string, at: Location, keyKind: string | null, walk: Walk): string {
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

/** Keys are scanned for token formats too: nothing raw may survive, even as a key. */
function redactKey(key: string, parent: Location, walk: Walk): string {
  if (CLEAN_KEYS.has(key)) return key;
  const { text, findings } = redactString(key);
  for (const f of findings) report(walk, f.kind, parent, f.value);
  if (findings.length === 0 && CLEAN_KEYS.size < KEY_CACHE_LIMIT) CLEAN_KEYS.add(key);
  return text;
}

const NAME_KEYS = ['name', 'Name', 'key', 'Key'];
const VALUE_KEYS = new Set(['value', 'Value']);

/**
 * Environment variables are logged as `{name, value}` pairs (ECS task definitions, CodeBuild, Lambda,
 * Kubernetes): the secret-looking name sits beside the value, not above it.
 */
function nameValueKind(obj: Record<string, unknown>): string | null {
  for (const k of NAME_KEYS) {
    const name = obj[k];
    if (typeof name === 'string' && name.length <= 128) {
      const kind = kindForKey(name);
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
