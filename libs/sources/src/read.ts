import { parseJson } from './json.ts';
import { redactForDeadLetter } from './redact.ts';

/** One record read from input text. `value` when it parsed, `error` when not. */
export interface ReadRecord {
  /** 1-based line where the record starts. */
  line: number;
  value?: unknown;
  /** `invalid JSON: <parser message>` */
  error?: string;
  /**
   * The record's text. For a record that parsed, exactly as read (it may hold secrets: never log it).
   * For an error, redacted and cut to 200 characters: safe to show.
   */
  raw: string;
}

export interface ReadOptions {
  /** Yield the elements of a top-level JSON array document one by one (default true). */
  splitArrays?: boolean;
}

/**
 * Splits input text into records: NDJSON, one per line (blank lines skipped), or one JSON document
 * spanning several lines (a pretty-printed `{"Records":[…]}` file, a JSON array of records).
 */
export function* readRecords(text: string, options: ReadOptions = {}): Iterable<ReadRecord> {
  // A BOM is not part of the first record (a Kafka message replayed by `keywatch replay --topic`).
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first === -1) return;
  if (opensDocument(lines[first] ?? '')) yield* readDocument(lines.slice(first), first + 1, options);
  else yield* readLines(lines, 1);
}

/** The same over a stream of lines (stdin, large files). A multi-line document is buffered whole. */
export async function* readRecordStream(lines: AsyncIterable<string>, options: ReadOptions = {}): AsyncIterable<ReadRecord> {
  let lineNo = 0;
  let seenRecord = false;
  let document: string[] | null = null;
  let documentStart = 0;
  for await (const chunk of lines) {
    lineNo++;
    const raw = chunk.replace(/\r?\n?$/, '');
    if (document !== null) {
      document.push(raw);
      continue;
    }
    if (raw.trim() === '') continue;
    if (!seenRecord && opensDocument(raw)) {
      document = [raw];
      documentStart = lineNo;
    } else yield parseLine(raw, lineNo);
    seenRecord = true;
  }
  if (document !== null) yield* readDocument(document, documentStart, options);
}

/**
 * Pretty-printed JSON opens with a line that is incomplete on its own and ends in `{` or `[`
 * (`{`, `[`, `{"Records": [`). An NDJSON line is always a whole value.
 */
function opensDocument(line: string): boolean {
  const t = line.trim();
  return /^[[{]/.test(t) && /[[{]$/.test(t) && !parseJson(t).ok;
}

function* readDocument(lines: string[], startLine: number, options: ReadOptions): Iterable<ReadRecord> {
  const text = lines.join('\n');
  const parsed = parseJson(text);
  if (parsed.ok) {
    if (Array.isArray(parsed.value) && options.splitArrays !== false) {
      for (const value of parsed.value) yield { line: startLine, value, raw: JSON.stringify(value) ?? 'null' };
    } else yield { line: startLine, value: parsed.value, raw: text };
    return;
  }
  // A lone `{` or `[` cannot be NDJSON: this is one broken document. Otherwise keep what lines we can.
  if (/^[[{]$/.test((lines[0] ?? '').trim())) yield { line: startLine, error: parsed.error, raw: safeRaw(text) };
  else yield* readLines(lines, startLine);
}

function* readLines(lines: readonly string[], firstLineNo: number): Iterable<ReadRecord> {
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() !== '') yield parseLine(raw, firstLineNo + i);
  }
}

function parseLine(raw: string, line: number): ReadRecord {
  const parsed = parseJson(raw);
  return parsed.ok ? { line, value: parsed.value, raw } : { line, error: parsed.error, raw: safeRaw(raw) };
}

function safeRaw(raw: string): string {
  return String(redactForDeadLetter(raw));
}
