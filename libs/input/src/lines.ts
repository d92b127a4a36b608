import { StringDecoder } from 'node:string_decoder';

/**
 * A piece of one line of text. Lines up to `pieceChars` come whole (`first` and `last` both true); a
 * longer line comes as several pieces, so no line is ever held whole. `\n` and a `\r` before it are
 * removed; invalid UTF-8 becomes U+FFFD.
 */
export interface Piece {
  text: string;
  /** 1-based line number. */
  line: number;
  /** The piece starts its line. */
  first: boolean;
  /** The piece ends its line. */
  last: boolean;
}

/** The pieces of the text in `bytes`, one array per chunk read (fewer async steps than one per line). */
export async function* pieceBatches(bytes: AsyncIterable<Buffer>, pieceChars: number): AsyncGenerator<Piece[]> {
  const decoder = new StringDecoder('utf8');
  // The current line's text not handed out yet, in parts: never re-copied while it grows.
  let parts: string[] = [];
  let partsChars = 0;
  let line = 1;
  let first = true;
  const take = (tail: string): string => {
    if (partsChars === 0) return tail;
    parts.push(tail);
    const text = parts.join('');
    parts = [];
    partsChars = 0;
    return text;
  };
  for await (const chunk of bytes) {
    const text = decoder.write(chunk);
    const out: Piece[] = [];
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      const whole = take(text.slice(from, nl));
      out.push({ text: whole.endsWith('\r') ? whole.slice(0, -1) : whole, line, first, last: true });
      line++;
      first = true;
      from = nl + 1;
    }
    if (from < text.length) {
      parts.push(from === 0 ? text : text.slice(from));
      partsChars += text.length - from;
    }
    if (partsChars >= pieceChars) {
      out.push({ text: take(''), line, first, last: false });
      first = false;
    }
    if (out.length > 0) yield out;
  }
  const rest = take(decoder.end());
  if (rest.length > 0 || !first) yield [{ text: rest.endsWith('\r') ? rest.slice(0, -1) : rest, line, first, last: true }];
}
