import { findAndRedact } from '@keywatch/secrets';
import { decodedBytes, UnreadableInput } from './bytes.ts';
import { DEFAULT_LIMITS, type ReadLimits } from './limits.ts';
import { type Piece, pieceBatches } from './lines.ts';
import { type Cut, DocumentScanner, type FeedResult } from './scanner.ts';

/**
 * A record read from an input: its parsed value and the text it was parsed from (normalize pre-scans it for
 * secrets: it may hold some, never log it), or why it could not be read (raw text redacted, ≤ 200 chars).
 */
export type ReadItem =
  | { line: number; value: unknown; text: string; error?: undefined }
  | { line: number; error: string; raw: string; reason: 'invalid_json' | 'unreadable_input' };

const RAW_CHARS = 200;

/**
 * The records of one input (a file's or stdin's bytes), in bounded memory. NDJSON unless a line opens a
 * document that really spans lines; gzip is recognised by its magic bytes; a BOM is ignored. Nothing
 * about the input can make this throw: corrupt gzip, over-long records and broken documents come out
 * as error items (each is a dead letter), and reading goes on where it can.
 */
export async function* readItems(
  bytes: AsyncIterable<Buffer | string>,
  limits: ReadLimits = DEFAULT_LIMITS,
): AsyncGenerator<ReadItem> {
  for await (const batch of readItemBatches(bytes, limits)) yield* batch;
}

/** readItems, a chunk's worth at a time (one async step per chunk instead of per record: faster). */
export async function* readItemBatches(
  bytes: AsyncIterable<Buffer | string>,
  limits: ReadLimits = DEFAULT_LIMITS,
): AsyncGenerator<ReadItem[]> {
  const reader = new ItemReader(limits);
  let line = 1;
  try {
    for await (const batch of pieceBatches(decodedBytes(bytes, limits), limits.pieceChars)) {
      const out: ReadItem[] = [];
      for (const piece of batch) reader.handle(piece, true, out);
      line = batch.at(-1)?.line ?? line;
      if (out.length > 0) yield out;
    }
    const end = reader.end();
    if (end) yield [end];
  } catch (error) {
    if (!(error instanceof UnreadableInput)) throw error;
    yield [{ line, error: `${error.message} (last line read: ${line})`, raw: '', reason: 'unreadable_input' }];
  }
}

/** Plain lines go straight to JSON.parse; a line that opens a document goes to the scanner until it closes. */
class ItemReader {
  readonly #limits: ReadLimits;
  readonly #scanner: DocumentScanner;
  readonly #cuts: Cut[] = [];
  #mode: 'lines' | 'document' | 'skip' = 'lines';

  constructor(limits: ReadLimits) {
    this.#limits = limits;
    this.#scanner = new DocumentScanner(limits.maxRecordChars);
  }

  handle(piece: Piece, retry: boolean, out: ReadItem[]): void {
    if (this.#mode === 'skip') {
      if (piece.last) this.#mode = 'lines';
      return;
    }
    if (this.#mode === 'lines' && piece.first && piece.last) {
      const text = piece.text.charCodeAt(0) === 0xfeff ? piece.text.slice(1) : piece.text;
      const item = lineItem(text, piece.line);
      if (item !== 'document') {
        if (item !== null) out.push(item);
        return;
      }
    }
    this.#scan(piece, retry, out);
  }

  #scan(piece: Piece, retry: boolean, out: ReadItem[]): void {
    const result: FeedResult = this.#scanner.feed(piece, this.#cuts);
    for (const cut of this.#cuts) out.push(cutItem(cut, this.#limits));
    this.#cuts.length = 0;
    if (result.state === 'idle') this.#mode = 'lines';
    else if (result.state === 'open') this.#mode = 'document';
    else {
      out.push({
        line: result.openedAt,
        error: `invalid JSON document (from line ${result.openedAt}): ${result.message}`,
        raw: safeRaw(result.sample),
        reason: 'invalid_json',
      });
      if (result.restart && retry) {
        // The line itself may be a good record (NDJSON after a stray `[` line): read it again from its start.
        this.#mode = 'lines';
        this.handle(piece, false, out);
      } else this.#mode = piece.last ? 'lines' : 'skip';
    }
  }

  /** At the end of the input: a document still open is a dead letter. */
  end(): ReadItem | null {
    if (!this.#scanner.open) return null;
    const line = this.#scanner.openedAt;
    return {
      line,
      error: `JSON document opened at line ${line} is not closed at the end of the input (truncated?)`,
      raw: safeRaw(this.#scanner.sample()),
      reason: 'invalid_json',
    };
  }
}

/** One NDJSON line: its record, null when blank, 'document' when it opens a value that goes on. */
function lineItem(text: string, line: number): ReadItem | null | 'document' {
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i === text.length) return null;
  try {
    return { line, value: JSON.parse(text), text };
  } catch (error) {
    const c = text.charCodeAt(i);
    // `{` / `[` that does not parse alone: a pretty-printed document, or a broken record the scanner will name.
    if (c === 123 || c === 91) return 'document';
    return { line, error: safeJsonError(error), raw: safeRaw(text), reason: 'invalid_json' };
  }
}

function cutItem(cut: Cut, limits: ReadLimits): ReadItem {
  if (cut.tooLong) {
    return {
      line: cut.line,
      error: `record longer than ${limits.maxRecordChars.toLocaleString('en-US')} characters (the limit); skipped`,
      raw: '',
      reason: 'unreadable_input',
    };
  }
  try {
    return { line: cut.line, value: JSON.parse(cut.text), text: cut.text };
  } catch (error) {
    return { line: cut.line, error: safeJsonError(error), raw: safeRaw(cut.text), reason: 'invalid_json' };
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 0xfeff;
}

/** V8's messages quote the input, which may hold part of a secret: keep the diagnosis, drop the quote. */
function safeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `invalid JSON: ${message.replace(/, ".*"(?:\.\.\.)? is not valid JSON$/s, ' (not valid JSON)')}`;
}

/** Raw text for a dead letter: redacted first (a secret cut in half must not slip through), then cut short. */
function safeRaw(text: string): string {
  const { redacted } = findAndRedact(text.slice(0, 4096));
  const s = typeof redacted === 'string' ? redacted : '';
  return s.length > RAW_CHARS ? `${s.slice(0, RAW_CHARS)}…` : s;
}
