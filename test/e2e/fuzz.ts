// Seeded mutations of real audit-log records (../shared/corpora, read in place) for the fuzz test: what a
// broken shipper, a hostile tenant or a damaged disk can hand keywatch. Deterministic for a given seed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from '../seeded-random.ts';

/** Every provider record of the corpora: NDJSON lines, `{"Records":[…]}` files and JSON arrays alike. */
export function corpusRecords(root: string): unknown[] {
  const out: unknown[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(nd)?json$/.test(name) && name !== 'cases.ndjson') out.push(...recordsOf(readFileSync(path, 'utf8')));
    }
  };
  walk(root);
  return out;
}

function recordsOf(text: string): unknown[] {
  try {
    const doc = JSON.parse(text) as unknown;
    if (Array.isArray(doc)) return doc;
    const records = (doc as { Records?: unknown }).Records;
    return Array.isArray(records) ? records : [doc];
  } catch {
    return text.split('\n').flatMap((line) => {
      try {
        return line.trim() ? [JSON.parse(line) as unknown] : [];
      } catch {
        return []; // a file broken upstream: its good lines are enough
      }
    });
  }
}

const FAR_TIMES = [
  '0001-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '1970-01-01T00:00:00Z',
  '2106-02-07T06:28:16Z',
  '2107-03-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00Z',
  '2026-02-30T25:61:61Z',
  '',
  'yesterday',
];
const TIME_FIELDS = ['eventTime', 'timestamp', 'receiveTimestamp', '@timestamp', 'created_at', '_document_id', 'time'];

/** Values that have broken parsers before: wrong types, huge, deep, invalid UTF-16, prototype keys. */
function oddValue(r: () => number): unknown {
  const roll = r();
  // The costly shapes are rare, so 100,000 records stay a few seconds of work.
  if (roll < 0.005) return 'x'.repeat(Math.floor(r() * 200_000));
  if (roll < 0.01) {
    let deep: unknown = 'bottom';
    for (let i = 0, n = Math.floor(r() * 2000); i < n; i++) deep = r() < 0.5 ? [deep] : { d: deep };
    return deep;
  }
  switch (Math.floor(r() * 13)) {
    case 0:
      return null;
    case 1:
      return Math.floor(r() * 2 ** 53) * (r() < 0.5 ? -1 : 1);
    case 2:
      return r() < 0.5 ? 1e308 : -0.000001;
    case 3:
      return r() < 0.5;
    case 4:
      return 'x'.repeat(Math.floor(r() * 300));
    case 5:
      return '\ud800\udfff\ud800 \u0000\u001b[31m';
    case 6:
      return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}') as unknown;
    case 7:
      return [[[{}]]];
    case 8:
      return r() < 0.5 ? [] : {};
    case 9:
      return r() < 0.5 ? '999.999.999.999' : '::ffff:10.0.0.1%eth0';
    case 10:
      return `AKIA${'A'.repeat(16)}`;
    case 11:
      return FAR_TIMES[Math.floor(r() * FAR_TIMES.length)];
    default:
      return `<script>alert(${Math.floor(r() * 100)})</script>`;
  }
}

/** Paths to every object member of a value (bounded), to pick one to change. */
function memberPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length > 200 || value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(k) : k];
    out.push(path);
    if (prefix.length < 4) memberPaths(v, path, out);
  }
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove: boolean): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (remove) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, configurable: true, writable: true });
}

/** A record changed as JSON: a member removed, retyped, or its time pushed far out. */
function mutateValue(base: unknown, r: () => number): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  if (copy === null || typeof copy !== 'object') return oddValue(r);
  const changes = 1 + Math.floor(r() * 3);
  for (let c = 0; c < changes; c++) {
    const kind = r();
    if (kind < 0.3) {
      const field = TIME_FIELDS.find((f) => f in copy) ?? 'eventTime';
      copy[field] = FAR_TIMES[Math.floor(r() * FAR_TIMES.length)];
    } else {
      const paths = memberPaths(copy);
      if (paths.length === 0) return oddValue(r);
      const path = paths[Math.floor(r() * paths.length)]!;
      setAt(copy, path, oddValue(r), kind < 0.45);
    }
  }
  return copy;
}

/** A line changed as text: truncated, a byte flipped, a stray bracket, a BOM, two lines run together. */
function mutateText(line: string, r: () => number): string {
  switch (Math.floor(r() * 7)) {
    case 0:
      return line.slice(0, Math.floor(r() * line.length));
    case 1: {
      const i = Math.floor(r() * line.length);
      return `${line.slice(0, i)}${String.fromCharCode(Math.floor(r() * 256))}${line.slice(i + 1)}`;
    }
    case 2:
      return r() < 0.5 ? '[' : '{';
    case 3:
      return `\ufeff${line}`;
    case 4:
      return `${line}${line}`;
    case 5:
      return `${line}\r`;
    default:
      return r() < 0.5 ? ']' : '}';
  }
}

/**
 * `count` NDJSON lines: a quarter the corpus records as they are, the rest mutated as JSON and some of those
 * again as text. Lines are returned, not joined, so callers can also wrap some in documents.
 */
export function fuzzLines(base: unknown[], count: number, seed: number): string[] {
  const r = rng(seed);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const record = base[Math.floor(r() * base.length)];
    const roll = r();
    if (roll < 0.25) lines.push(JSON.stringify(record));
    else {
      const line = JSON.stringify(mutateValue(record, r)) ?? 'null';
      lines.push(roll < 0.85 ? line : mutateText(line, r));
    }
  }
  return lines;
}
