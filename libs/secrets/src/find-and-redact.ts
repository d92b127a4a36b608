import type { FoundSecret } from '@keywatch/event';
import { looksLikeCredential } from './credential-shape.ts';
import { type Fingerprinter, fingerprint } from './fingerprint.ts';
import { dottedToPath, indexPath, keyPath } from './json-path.ts';
import { type NameRule, ruleForName } from './key-names.ts';
import { TRIGGER_CHARACTER } from './patterns.ts';
import { isPlaceholder } from './placeholder.ts';
import { MIN_TEXT_LENGTH, marker, redactString, type StringFinding } from './redact-string.ts';

export interface RedactOptions {
  /** Path of `record` inside a larger document, prefixed to every finding (`Records[3]`). */
  path?: string;
  /** Dotted paths (relative to `record`) whose string values are raw keys whatever their name. */
  secretPaths?: readonly string[];
  /**
   * Dotted paths (relative to `record`) where the provider logs a secret on every call of this kind
   * (CloudTrail: the session token STS issues): redacted as always, reported with `alert: false`.
   */
  routinePaths?: readonly string[];
  /** The installation's keyed fingerprint (default: a key random to this process). */
  fingerprint?: Fingerprinter;
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
const FORCED: NameRule = { kind: 'api_key', generic: false, minLength: 1 };

/**
 * Where a value sits, built as a linked list while walking and turned into text only when a secret
 * is reported: most values hold none, and building every path string would dominate the cost.
 */
type Location = { parent: Location; segment: string | number } | null;

interface Walk {
  base: string;
  secrets: FoundSecret[];
  forcedPaths: ReadonlySet<string>;
  routinePaths: ReadonlySet<string>;
  fingerprint: Fingerprinter;
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
    forcedPaths: pathSet(base, options.secretPaths),
    routinePaths: pathSet(base, options.routinePaths),
    fingerprint: options.fingerprint ?? fingerprint,
    ancestors: [],
  };
  const redacted = visit(record, null, null, null, 0, walk);
  return { redacted, secrets: walk.secrets };
}

const NO_PATHS: ReadonlySet<string> = new Set();

function pathSet(base: string, dotted: readonly string[] | undefined): ReadonlySet<string> {
  return dotted === undefined || dotted.length === 0 ? NO_PATHS : new Set(dotted.map((p) => dottedToPath(base, p)));
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
  keyRule: NameRule | null,
  depth: number,
  walk: Walk,
): unknown {
  const forced = walk.forcedPaths.size > 0 && walk.forcedPaths.has(render(locate(parent, segment), walk.base));
  const kind = forced ? FORCED : keyRule;
  if (typeof value === 'string') return redactValue(value, parent, segment, kind, walk);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) {
    // Too deep to keep, but whatever it holds was still logged: report it where the cut is.
    reportTooDeep(value, locate(parent, segment), kind, walk);
    return TOO_DEEP;
  }
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
function visitArray(value: unknown[], at: Location, kind: NameRule | null, depth: number, walk: Walk): unknown[] {
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
  // Only a `value` key needs its sibling name's verdict: most objects have none, and reading the name
  // keys of every object costs more than the rest of its walk.
  let pairRule: NameRule | null | undefined;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const rawKey = keys[i]!;
    const child = value[rawKey];
    // One lookup for a key seen before (nearly all of them): its scan found nothing, its rule is known.
    let key = rawKey;
    let verdict = CLEAN_KEYS.get(rawKey);
    if (verdict === undefined) {
      key = redactKey(rawKey, at, walk);
      verdict = { rule: ruleForKey(key), valueKey: isValueKeyName(key) };
      if (key === rawKey && CLEAN_KEYS.size < KEY_CACHE_LIMIT) CLEAN_KEYS.set(rawKey, verdict);
    }
    if (verdict.valueKey && pairRule === undefined) pairRule = nameValueRule(value);
    const childKind = verdict.valueKey && pairRule != null ? pairRule : verdict.rule;
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
  keyRule: NameRule | null,
  walk: Walk,
): string {
  if (keyRule === null) return redactFreeText(value, parent, segment, walk);
  const { text, findings } = judgeNamedValue(value, keyRule);
  const at = locate(parent, segment);
  for (const f of findings) report(walk, f.kind, at, f.value);
  return text;
}

/**
 * A string under a secret-named or credential-like name: the whole value is the secret (a named secret
 * of at least its minimum length; under a credential-like name, only a value that looks like a
 * credential), unless it is a placeholder or an ARN, or a known format inside it was all there was
 * (`Bearer eyJ…` keeps its precise `jwt` finding).
 */
function judgeNamedValue(value: string, rule: NameRule): { text: string; findings: StringFinding[] } {
  const embedded = redactString(value);
  const wholeValueIsSecret =
    !isPlaceholder(value) &&
    !value.startsWith('arn:') &&
    value.length >= rule.minLength &&
    (!rule.generic || looksLikeCredential(value)) &&
    !onlySecretsLeft(embedded.text, embedded.findings.length);
  if (wholeValueIsSecret) return { text: marker(rule.kind), findings: [{ kind: rule.kind, value }] };
  return embedded;
}

/**
 * A value under an ordinary key: only embedded secrets count. Records repeat the same user agents,
 * ARNs and hosts, so strings already found clean are remembered (bounded: two generations, below).
 */
function redactFreeText(value: string, parent: Location, segment: string | number | null, walk: Walk): string {
  if (value.length < MIN_TEXT_LENGTH || !TRIGGER_CHARACTER.test(value) || cleanValues.has(value)) return value;
  if (olderCleanValues.has(value)) {
    rememberClean(value);
    return value;
  }
  const { text, findings } = redactString(value);
  if (findings.length === 0 && value.length <= CLEAN_VALUE_MAX_LENGTH) rememberClean(value);
  for (const f of findings) report(walk, f.kind, locate(parent, segment), f.value);
  return text;
}

/** Small on purpose: a lookup in a large set misses the CPU caches and costs as much as the scan. */
const CLEAN_VALUE_LIMIT = 2048;
/** Long strings (messages, documents) rarely repeat and would make the set large. */
const CLEAN_VALUE_MAX_LENGTH = 512;
/**
 * Two generations: when the current set is full it becomes the older one, and a value found there moves
 * back. Values that keep coming (user agents, ARNs, queue URLs) survive; one-off values (S3 object keys,
 * event times) age out, instead of every value being forgotten each time the set filled up.
 */
let cleanValues = new Set<string>();
let olderCleanValues = new Set<string>();

function rememberClean(value: string): void {
  cleanValues.add(value);
  if (cleanValues.size >= CLEAN_VALUE_LIMIT) {
    olderCleanValues = cleanValues;
    cleanValues = new Set();
  }
}

/** Keys are scanned for token formats too: nothing raw may survive, even as a key. */
function redactKey(key: string, parent: Location, walk: Walk): string {
  const { text, findings } = redactString(key);
  for (const f of findings) report(walk, f.kind, parent, f.value);
  return text;
}

/** The value half of a name/value pair, as the providers spell it. */
const VALUE_KEYS = new Set([
  'value',
  'Value',
  'VALUE',
  'parameterValue',
  'ParameterValue',
  'optionValue',
  'OptionValue',
  'tagValue',
  'TagValue',
]);
/** Every value key ends in `e`/`E`: most keys are ruled out without a lookup. */
function isValueKeyName(key: string): boolean {
  const last = key.charCodeAt(key.length - 1) | 0x20;
  return last === 101 && VALUE_KEYS.has(key);
}

/** The name half, in order of preference. */
const NAME_KEYS = [
  'name',
  'Name',
  'NAME',
  'key',
  'Key',
  'KEY',
  'parameterKey',
  'ParameterKey',
  'parameterName',
  'ParameterName',
  'optionName',
  'OptionName',
  'tagKey',
  'TagKey',
];

/**
 * Tags, environment variables and parameters are logged as name/value pairs (S3 `TagSet` `{Key, Value}`,
 * EC2 `{key, value}`, ECS/CodeBuild/Kubernetes `{name, value}`, CloudFormation `{ParameterKey,
 * ParameterValue}`, SSM `{name: "/prod/db/password", value}`): the secret-looking name sits beside the
 * value, not above it.
 */
function nameValueRule(obj: Record<string, unknown>): NameRule | null {
  for (const k of NAME_KEYS) {
    const name = obj[k];
    // Not through the key cache: names are values, often unique (S3 object keys), and would fill it.
    if (typeof name === 'string') {
      const rule = ruleForName(name);
      if (rule !== null) return rule;
    }
  }
  return null;
}

/** Records repeat the same few hundred keys; remembering their verdicts halves the walk's cost. */
const KEY_CACHE_LIMIT = 10_000;
/** A key in which the scan found nothing (so it stays as it is): the rule its name implies, and whether it is a `value` key. */
interface KeyVerdict {
  rule: NameRule | null;
  valueKey: boolean;
}
const CLEAN_KEYS = new Map<string, KeyVerdict>();
const KEY_RULES = new Map<string, NameRule | null>();

function ruleForKey(key: string): NameRule | null {
  const cached = KEY_RULES.get(key);
  if (cached !== undefined) return cached;
  const rule = ruleForName(key);
  if (KEY_RULES.size < KEY_CACHE_LIMIT) KEY_RULES.set(key, rule);
  return rule;
}

/**
 * Reports every secret inside a value nested too deep to keep (it is replaced by a marker), at the
 * place of the cut. Iterative, so hostile nesting cannot overflow the stack; cycles are skipped.
 */
function reportTooDeep(root: object, at: Location, rule: NameRule | null, walk: Walk): void {
  const seen = new Set<object>();
  const stack: [unknown, NameRule | null][] = [[root, rule]];
  while (stack.length > 0) {
    const [value, valueRule] = stack.pop()!;
    if (typeof value === 'string') {
      const { findings } = valueRule === null ? redactString(value) : judgeNamedValue(value, valueRule);
      for (const f of findings) report(walk, f.kind, at, f.value);
      continue;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, valueRule]);
      continue;
    }
    const obj = value as Record<string, unknown>;
    const pair = nameValueRule(obj);
    for (const key of Object.keys(obj)) {
      for (const f of redactString(key).findings) report(walk, f.kind, at, f.value);
      stack.push([obj[key], VALUE_KEYS.has(key) && pair !== null ? pair : ruleForKey(key)]);
    }
  }
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
  return residue.length < MIN_RESIDUE;
}

/** Less than this left beside the known formats is decoration (`Bearer `, quotes), not another secret. */
const MIN_RESIDUE = 8;

function report(walk: Walk, kind: string, at: Location, secret: string): void {
  const path = render(at, walk.base);
  const found: FoundSecret = { kind, path: path === '' ? '$' : path, fingerprint: walk.fingerprint(secret) };
  if (walk.routinePaths.size > 0 && walk.routinePaths.has(path)) found.alert = false;
  walk.secrets.push(found);
}

function render(at: Location, base: string): string {
  if (at === null) return base;
  const parent = render(at.parent, base);
  return typeof at.segment === 'number' ? indexPath(parent, at.segment) : keyPath(parent, at.segment);
}
