import type { Piece } from './lines.ts';

/**
 * Incremental reader of JSON documents that span lines or are too long to hold: pretty-printed
 * `{"Records":[…]}` files, JSON arrays, `jq`-style streams of multi-line values, one-line CloudTrail
 * files of any size. It only follows the structure (brackets, strings, commas); each record's text is
 * cut out and handed over to be parsed on its own. The elements of a top-level array and of a
 * top-level object's `Records` array are records; any other top-level value is one record.
 */

const OBJ = 0;
const ARR = 1;

/** What the scanner expects next (plain numbers: enums need more than type stripping). */
const Expect = { Top: 0, KeyOrEnd: 1, Colon: 2, Value: 3, ValueOrEnd: 4, CommaOrEnd: 5 } as const;
type Expect = (typeof Expect)[keyof typeof Expect];

/** Text of one record cut out of a document, with the line it starts on; `tooLong` when over the limit. */
export interface Cut {
  line: number;
  text: string;
  tooLong: boolean;
}

export type FeedResult =
  /** Still inside a value: feed the next piece. */
  | { state: 'open' }
  /** Between values at the end of a line: the caller may go back to reading plain lines. */
  | { state: 'idle' }
  /**
   * The structure is broken. `restart` is true when the problem is the first character of this line
   * while a value was open (a stray `[` or `{` line before NDJSON, a truncated record): the open value is
   * lost, and this line should be read again from its start. Otherwise the rest of the line is skipped.
   */
  | { state: 'broken'; message: string; openedAt: number; restart: boolean; sample: string };

export class DocumentScanner {
  readonly #maxChars: number;
  readonly #stack: number[] = [];
  #expect: Expect = Expect.Top;
  #inString = false;
  #escape = false;
  #inScalar = false;
  /** Depth at which array elements are records (1: top-level array; 2: `Records` of a top-level object). */
  #splitDepth = 0;
  /** Key text at depth 1 of a top-level object (enough of it to recognise `Records`). */
  #key: string | null = null;
  #lastKey = '';
  /** Line where the current top-level value opened. */
  #openedAt = 0;
  // The capture in progress: a record's text (an element, or a whole top-level value).
  #capturing = false;
  #capStart = 0;
  #capParts: string[] = [];
  #capChars = 0;
  #capLine = 0;
  #capOverflow = false;
  /** The capture is the whole top-level value (not an element). */
  #capIsDocument = false;

  constructor(maxChars: number) {
    this.#maxChars = maxChars;
  }

  /** True while a top-level value is open. */
  get open(): boolean {
    return this.#stack.length > 0 || this.#inScalar;
  }

  get openedAt(): number {
    return this.#openedAt;
  }

  /** What the open capture holds so far (for a dead letter's sample). */
  sample(): string {
    return this.#capParts.join('').slice(0, 4096);
  }

  /** Scans `piece` from `from`; records completed on the way go to `out`. */
  feed(piece: Piece, out: Cut[], from = 0): FeedResult {
    const s = piece.text;
    const n = s.length;
    let lineStart = piece.first;
    if (this.#capturing) this.#capStart = from;
    for (let i = from; i < n; i++) {
      const c = s.charCodeAt(i);
      if (this.#inString) {
        if (this.#escape) this.#escape = false;
        else if (c === 92 /* \ */) this.#escape = true;
        else if (c === 34 /* " */) {
          this.#inString = false;
          if (this.#key !== null) {
            this.#lastKey = this.#key;
            this.#key = null;
            this.#expect = Expect.Colon;
          } else this.#valueDone(s, i + 1, out);
        } else if (this.#key !== null && this.#key.length < 16) this.#key += s[i];
        continue;
      }
      if (this.#inScalar) {
        if (!isDelimiter(c)) continue;
        this.#inScalar = false;
        this.#valueDone(s, i, out);
      }
      if (c === 32 || c === 9 || c === 13 || c === 10 || c === 0xfeff) continue;
      const atLineStart = lineStart;
      lineStart = false;
      const problem = this.#structural(c, s, i, piece.line, out);
      if (problem !== null) {
        const openedAt = this.#openedAt || piece.line;
        const restart = atLineStart && this.#stack.length > 0;
        const sample = this.sample() || s.slice(0, 4096);
        this.#reset();
        return { state: 'broken', message: `${problem} at line ${piece.line}`, openedAt, restart, sample };
      }
    }
    if (piece.last) {
      // JSON strings never span lines: a line that ends inside one is broken (a truncated record).
      if (this.#inString) {
        const openedAt = this.#openedAt || piece.line;
        const sample = this.sample() || s.slice(0, 4096);
        this.#reset();
        return { state: 'broken', message: `line ${piece.line} ends inside a string`, openedAt, restart: false, sample };
      }
      if (this.#inScalar) {
        this.#inScalar = false;
        this.#valueDone(s, n, out);
      }
    }
    if (this.#capturing) this.#keep(s.slice(this.#capStart), piece.last);
    return piece.last && !this.open ? { state: 'idle' } : { state: 'open' };
  }

  /** Handles one structural character; returns what is wrong, or null. */
  #structural(c: number, s: string, i: number, line: number, out: Cut[]): string | null {
    const depth = this.#stack.length;
    switch (this.#expect) {
      case Expect.Top:
        if (c !== 123 && c !== 91) return `unexpected ${quoteChar(c)} where a JSON value should start`;
        this.#openedAt = line;
        if (c === 91) this.#splitDepth = 1;
        else {
          this.#splitDepth = 0;
          this.#startCapture(i, line, true);
        }
        this.#push(c === 123 ? OBJ : ARR);
        return null;
      case Expect.KeyOrEnd:
        if (c === 125 /* } */) return this.#close(s, i, out);
        if (c !== 34) return `unexpected ${quoteChar(c)} where a key should be`;
        this.#inString = true;
        this.#key = depth === 1 ? '' : null;
        // Keys below the top level are not needed; follow them as plain strings.
        if (this.#key === null) this.#expectAfterKeyString = true;
        return null;
      case Expect.Colon:
        if (c !== 58 /* : */) return `unexpected ${quoteChar(c)} where ':' should be`;
        this.#expect = Expect.Value;
        return null;
      case Expect.CommaOrEnd: {
        const top = this.#stack[depth - 1];
        if (c === 44 /* , */) {
          this.#expect = top === OBJ ? Expect.KeyOrEnd : Expect.ValueOrEnd;
          return null;
        }
        if ((c === 125 && top === OBJ) || (c === 93 && top === ARR)) return this.#close(s, i, out);
        return `unexpected ${quoteChar(c)} where ',' or the end of ${top === OBJ ? 'an object' : 'an array'} should be`;
      }
      case Expect.ValueOrEnd:
        if (c === 93 /* ] */) return this.#close(s, i, out);
        return this.#value(c, i, line);
      case Expect.Value:
        return this.#value(c, i, line);
    }
  }

  /** Set when a nested key string is being skipped: its end leads to a colon, not to a value's end. */
  #expectAfterKeyString = false;

  #value(c: number, i: number, line: number): string | null {
    if (c === 44 || c === 58 || c === 93 || c === 125) return `unexpected ${quoteChar(c)} where a value should be`;
    const depth = this.#stack.length;
    if (depth === this.#splitDepth && this.#stack[depth - 1] === ARR) this.#startCapture(i, line, false);
    if (c === 123 || c === 91) {
      if (depth === 1 && this.#stack[0] === OBJ && this.#lastKey === 'Records' && c === 91) {
        // A `{"Records":[…]}` document: its elements are the records; the envelope is not kept.
        this.#splitDepth = 2;
        this.#dropCapture();
      }
      this.#push(c === 123 ? OBJ : ARR);
    } else if (c === 34) {
      this.#inString = true;
      this.#key = null;
    } else this.#inScalar = true;
    return null;
  }

  #push(kind: number): void {
    this.#stack.push(kind);
    this.#expect = kind === OBJ ? Expect.KeyOrEnd : Expect.ValueOrEnd;
  }

  #close(s: string, i: number, out: Cut[]): null {
    this.#stack.pop();
    this.#valueDone(s, i + 1, out);
    return null;
  }

  /** A value ended just before `end`: the parent now expects a comma or its end; a record may be complete. */
  #valueDone(s: string, end: number, out: Cut[]): void {
    if (this.#expectAfterKeyString) {
      this.#expectAfterKeyString = false;
      this.#expect = Expect.Colon;
      return;
    }
    const depth = this.#stack.length;
    this.#expect = depth === 0 ? Expect.Top : Expect.CommaOrEnd;
    if (depth === 0) {
      this.#openedAt = 0;
      this.#splitDepth = 0;
      this.#lastKey = '';
    }
    if (!this.#capturing) return;
    const complete = this.#capIsDocument ? depth === 0 : depth === this.#splitDepth;
    if (!complete) return;
    this.#keep(s.slice(this.#capStart, end), false);
    out.push({ line: this.#capLine, text: this.#capOverflow ? '' : this.#capParts.join(''), tooLong: this.#capOverflow });
    this.#dropCapture();
  }

  #startCapture(i: number, line: number, document: boolean): void {
    this.#capturing = true;
    this.#capStart = i;
    this.#capParts = [];
    this.#capChars = 0;
    this.#capLine = line;
    this.#capOverflow = false;
    this.#capIsDocument = document;
  }

  #keep(text: string, lineEnd: boolean): void {
    if (this.#capOverflow) return;
    this.#capChars += text.length + (lineEnd ? 1 : 0);
    if (this.#capChars > this.#maxChars) {
      this.#capOverflow = true;
      this.#capParts = [];
      return;
    }
    this.#capParts.push(text);
    if (lineEnd) this.#capParts.push('\n');
  }

  #dropCapture(): void {
    this.#capturing = false;
    this.#capParts = [];
    this.#capChars = 0;
    this.#capOverflow = false;
  }

  #reset(): void {
    this.#stack.length = 0;
    this.#expect = Expect.Top;
    this.#inString = false;
    this.#escape = false;
    this.#inScalar = false;
    this.#splitDepth = 0;
    this.#key = null;
    this.#lastKey = '';
    this.#expectAfterKeyString = false;
    this.#openedAt = 0;
    this.#dropCapture();
  }
}

/** Characters that end a number, `true`, `false` or `null`. */
function isDelimiter(c: number): boolean {
  return (
    c === 44 ||
    c === 93 ||
    c === 125 ||
    c === 32 ||
    c === 9 ||
    c === 13 ||
    c === 10 ||
    c === 58 ||
    c === 34 ||
    c === 123 ||
    c === 91
  );
}

function quoteChar(c: number): string {
  return c >= 32 && c < 127 ? `'${String.fromCharCode(c)}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}
