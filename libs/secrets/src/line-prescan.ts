import { ruleForName } from './key-names.ts';
import { redactString } from './redact-string.ts';

/**
 * A pre-scan of a raw JSON line: true when `findAndRedact` of the parsed line (without `secretPaths`)
 * certainly reports and changes nothing, so the walk can be skipped. One character loop through a
 * precomputed automaton, no regex.
 *
 * Why it is safe. With no backslash and no non-ASCII character in the line, every string of the parsed
 * value (key or value) is the text between two quotes of the line, character for character. The walk
 * can only report or change a string that (a) holds a needle of the per-string pre-scan
 * (`mightHoldSecret`: its context words in any case, its provider prefixes), or (b) is a name with a
 * rule (`ruleForName`), which needs one of `auth token secret key pass pwd cred` in the name lowercased
 * with everything but letters and digits removed. The automaton flags every string holding any of
 * these (the name words also with other characters between their letters), so a string it does not
 * flag is neither. A flagged string gets the exact verdict (`redactString` finds nothing, `ruleForName`
 * is null), remembered. A key with a rule sends the line to the walk; a value with one only if the line
 * holds a `value` key (it may be the name of a name/value pair). A backslash, a non-ASCII character, a
 * string not closed, or enough `{`/`[` to reach the walk's depth limit: the walk.
 */
export function lineHoldsNoSecret(line: string): boolean {
  scan ??= scanner(build());
  return scan(line);
}

/** Built on first use (about 50 ms), so a process that never reads raw lines does not pay for it. */
let scan: ((line: string) => boolean) | null = null;

/** The tables as constants of a closure: as fast as module constants, read on every character. */
function scanner({ next, classes, end, endHit, bail }: Automaton): (line: string) => boolean {
  return (line) => {
    const n = line.length;
    let opened = 0;
    let namedValue = false;
    let i = 0;
    while (i < n) {
      const c = line.charCodeAt(i++);
      if (c === QUOTE) {
        const start = i;
        let s = 0;
        for (;;) {
          if (i >= n) return false;
          s = next[s + classes[line.charCodeAt(i++)]!]!;
          if (s >= end) break;
        }
        if (s === bail) return false;
        if (s === endHit) {
          const verdict = verdictOf(line.slice(start, i - 1));
          if (verdict === FINDS) return false;
          if (verdict === NAMED) {
            if (isKey(line, i)) return false;
            namedValue = true;
          }
        }
      } else if (c === 123 || c === 91) {
        if (++opened >= MAX_OPENED) return false;
      } else if (c > 127) return false;
    }
    return !namedValue || !VALUE_KEY.test(line);
  };
}

const QUOTE = 34;
const BACKSLASH = 92;
/** The walk cuts values nested 64 deep; a line with this many `{`/`[` (outside strings) is left to it. */
const MAX_OPENED = 60;
/** Every key of `VALUE_KEYS` (find-and-redact.ts) ends like this. */
const VALUE_KEY = /(?:value|Value|VALUE)"\s*:/;

function isKey(line: string, from: number): boolean {
  let i = from;
  while (i < line.length && ' \t\n\r'.includes(line[i]!)) i++;
  return line.charCodeAt(i) === 58;
}

const CLEAN = 0;
const NAMED = 1;
const FINDS = 2;
/** Flagged strings repeat (keys, event names, service hosts); bounded as the walk's caches are. */
const VERDICT_LIMIT = 4096;
const VERDICT_MAX_LENGTH = 512;
let verdicts = new Map<string, number>();

/** Only strings holding no secret are remembered: a secret must not outlive its record in a cache. */
function verdictOf(text: string): number {
  const known = verdicts.get(text);
  if (known !== undefined) return known;
  if (redactString(text).findings.length > 0) return FINDS;
  const v = ruleForName(text) !== null ? NAMED : CLEAN;
  if (text.length <= VERDICT_MAX_LENGTH) {
    if (verdicts.size >= VERDICT_LIMIT) verdicts = new Map();
    verdicts.set(text, v);
  }
  return v;
}

/** The words `ruleForName` needs, matched in any case and also with other characters between their letters. */
const NAME_WORDS = ['auth', 'token', 'secret', 'key', 'pass', 'pwd', 'cred'];
/**
 * The rest of `CONTEXT_WORDS` (any case, as written), then `PROVIDER_PREFIXES` spelled out (exact case,
 * `[…]` one character of the set). Where a prefix goes on with a repeated class, its start alone is the
 * needle: it flags a few more strings, and the repeats would multiply the automaton's states.
 */
const CONTEXT_WORDS = ['bearer', 'basic', 'sig', 'begin', 'discord', '[pP][wW]=', '://'];
const PREFIXES = [
  'sk[_-]',
  'shp[acps][atcs]_', // shpat shpca shppa shpss
  'sq0',
  'rk_',
  'whsec_',
  'gh[pousr]_',
  'github_pat_',
  'gl[acdfioprs]', // gl(?:pat|dt|ptt|rt|cbt|ft|imt|soat|oas|agent|ffct|c|sa)[-_]
  'npm_',
  'pypi-',
  'pul-',
  'pscale_',
  'xox',
  'xapp-',
  'AIza',
  'ATATT3',
  '[KS]IA', // (?:KIA|SIA)[A-Z0-9]{16}[\s,:;|"'=]
  'GOCSPX-',
  'GR1348941',
  'ya29.',
  '[0-9]Q~',
  'SK[0-9a-fA-F]', // SK[0-9a-fA-F]{32}
  'SG.',
  'hv[sb].',
  'hf_',
  'dapi', // dapi[a-f0-9]{32}
  'dp.[a-z]', // dp\.[a-z]+\.
  'do[opr]_v1_',
  'PMAK-',
  'lin_api_',
  'NRAK-',
  'HRKU-',
  '.atlasv1.',
  'eyJ',
];

/** A needle: per step the character codes it accepts; `spaced`: other characters may sit between steps. */
interface Needle {
  steps: Set<number>[];
  spaced: boolean;
}

function parse(spec: string, anyCase: boolean, spaced: boolean): Needle {
  const steps = [...spec.matchAll(/\[([^\]]+)\]|./g)].map(
    ([token, set]) => new Set(expand(set ?? (anyCase ? token + token.toUpperCase() : token))),
  );
  return { steps, spaced };
}

/** `_-` → both; `a-z`, `0-9`, `A-F` ranges spelled out. */
function expand(set: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < set.length; i++) {
    if (set[i + 1] === '-' && i + 2 < set.length) {
      for (let c = set.charCodeAt(i); c <= set.charCodeAt(i + 2); c++) out.push(c);
      i += 2;
    } else out.push(set.charCodeAt(i));
  }
  return out;
}

const NEEDLES: readonly Needle[] = [
  ...NAME_WORDS.map((w) => parse(w, true, true)),
  ...CONTEXT_WORDS.map((w) => parse(w, true, false)),
  ...PREFIXES.map((p) => parse(p, false, false)),
];

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Subset construction. Characters that every step of every needle treats alike share a class (`classes`,
 * one entry per UTF-16 code unit; non-ASCII characters have their own). A state is the set of (needle,
 * steps matched) under way; one that completes a needle is HIT, which stays HIT to the end of the
 * string. `"` ends the string (`end`, or `endHit` after a needle); a backslash or a non-ASCII character
 * gives `bail`. `next` holds each target already multiplied by the number of classes: its row's start.
 */
function build(): Automaton {
  const classes = new Uint8Array(65536);
  const representatives: number[] = [];
  const bySignature = new Map<string, number>();
  for (let c = 0; c < 128; c++) {
    const signature = `${c === QUOTE ? 'q' : c === BACKSLASH ? 'b' : isAlnum(c) ? 'a' : 's'}${NEEDLES.map((nd) => nd.steps.map((set) => (set.has(c) ? 1 : 0)).join('')).join(',')}`;
    let k = bySignature.get(signature);
    if (k === undefined) {
      k = representatives.length;
      bySignature.set(signature, k);
      representatives.push(c);
    }
    classes[c] = k;
  }
  const width = representatives.length + 1; // the last class: non-ASCII
  classes.fill(width - 1, 128);
  const starts = representatives.map((c) => NEEDLES.flatMap((nd, i) => (nd.steps[0]!.has(c) ? [i] : [])));

  // Positions under way, numbered: (needle, steps matched) for 1 ≤ matched < length. A state is a bit set
  // of them. Per class and position: the positions it moves to (a bit set) and whether it completes a needle.
  const base: number[] = [];
  let positions = 0;
  for (const nd of NEEDLES) {
    base.push(positions - 1);
    positions += nd.steps.length - 1;
  }
  const words = (positions + 31) >> 5;
  // moves[((k * positions) + p) * words …]: the bit set position p moves to on class k.
  const moves = new Uint32Array(representatives.length * positions * words);
  const completes = new Uint8Array(representatives.length * positions);
  NEEDLES.forEach((nd, needle) => {
    for (let matched = 1; matched < nd.steps.length; matched++) {
      const p = base[needle]! + matched;
      representatives.forEach((c, k) => {
        const to = (m: number) => {
          if (m === nd.steps.length) completes[k * positions + p] = 1;
          else {
            const q = base[needle]! + m;
            moves[(k * positions + p) * words + (q >> 5)]! |= 1 << (q & 31);
          }
        };
        if (nd.steps[matched]!.has(c)) to(matched + 1);
        if (nd.spaced && !isAlnum(c)) to(matched);
      });
    }
  });
  const HIT = -1;
  const ids = new Map<string, number>([[new Uint32Array(words).join(','), 0]]);
  const states: Uint32Array[] = [new Uint32Array(words)];
  const rows: number[][] = [];
  const out = new Uint32Array(words);
  for (let s = 0; s < states.length; s++) {
    const row: number[] = [];
    const from = states[s]!;
    for (let k = 0; k < representatives.length; k++) {
      out.fill(0);
      let hit = false;
      for (const needle of starts[k]!) {
        const q = base[needle]! + 1;
        if (NEEDLES[needle]!.steps.length === 1) hit = true;
        else out[q >> 5]! |= 1 << (q & 31);
      }
      for (let w = 0; w < words; w++) {
        for (let bits = from[w]!; bits !== 0; bits &= bits - 1) {
          const p = (w << 5) + 31 - Math.clz32(bits & -bits);
          if (completes[k * positions + p]) hit = true;
          const at = (k * positions + p) * words;
          for (let v = 0; v < words; v++) out[v]! |= moves[at + v]!;
        }
      }
      if (hit) {
        row.push(HIT);
        continue;
      }
      const key = out.join(',');
      let id = ids.get(key);
      if (id === undefined) {
        id = states.length;
        ids.set(key, id);
        states.push(out.slice());
      }
      row.push(id);
    }
    rows.push(row);
  }
  const count = states.length;
  const [hit, end, endHit, bail] = [count, count + 1, count + 2, count + 3];
  if ((bail + 1) * width > 65536) throw new Error('line pre-scan: automaton too large');
  const next = new Uint16Array((bail + 1) * width);
  for (let s = 0; s <= hit; s++) {
    for (let k = 0; k < width; k++) {
      const c = representatives[k] ?? -1;
      const to = c === -1 || c === BACKSLASH ? bail : c === QUOTE ? (s === hit ? endHit : end) : s === hit ? hit : rows[s]![k]!;
      next[s * width + k] = (to === HIT ? hit : to) * width;
    }
  }
  return { next, classes, end: end * width, endHit: endHit * width, bail: bail * width };
}

interface Automaton {
  next: Uint16Array;
  classes: Uint8Array;
  /** At or above: the string ended. `end` clean, `endHit` with a needle in it, `bail` on a backslash or non-ASCII (row starts). */
  end: number;
  endHit: number;
  bail: number;
}
