import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { KeywatchError } from '@keywatch/errors';
import type { ReadLimits } from './limits.ts';

/** Why the rest of an input cannot be read (corrupt gzip, expansion limit); the records before it stand. */
export class UnreadableInput extends KeywatchError {
  constructor(message: string) {
    super(message, { expected: true, retriable: false });
  }
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * The bytes of an input, decompressed when they start with gzip's magic bytes (whatever the name, also
 * on stdin). Decompression is streamed: memory stays at a chunk, and output is capped at
 * `gzipSlackBytes + gzipMaxRatio × compressed bytes read` so a gzip bomb ends as one dead letter.
 * Throws UnreadableInput (compressed offset included) when the gzip data is corrupt or truncated.
 */
export async function* decodedBytes(source: AsyncIterable<Buffer | string>, limits: ReadLimits): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  // Enough bytes to see the magic (stdin may hand over a single byte first).
  let head = Buffer.alloc(0);
  let ended = false;
  while (head.length < 2) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    head = Buffer.concat([head, toBuffer(next.value)]);
  }
  const rest = async function* (): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (ended) return;
    for (let next = await it.next(); !next.done; next = await it.next()) yield toBuffer(next.value);
  };
  if (head[0] !== GZIP_MAGIC_0 || head[1] !== GZIP_MAGIC_1) {
    yield* rest();
    return;
  }

  let compressed = 0;
  const counted = async function* () {
    for await (const chunk of rest()) {
      compressed += chunk.length;
      yield chunk;
    }
  };
  const gunzip = createGunzip();
  const feeding = pipeline(Readable.from(counted()), gunzip);
  // Its failure is the gunzip stream's error, seen (and reported) by the loop below.
  feeding.catch(() => {});
  let out = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      out += chunk.length;
      if (out > limits.gzipSlackBytes + limits.gzipMaxRatio * Math.max(compressed, 1)) {
        throw new UnreadableInput(
          `gzip expands beyond the limit (${limits.gzipMaxRatio}× the compressed size + ${mib(limits.gzipSlackBytes)}) after ${compressed.toLocaleString('en-US')} compressed bytes; the rest of the file is skipped`,
        );
      }
      yield chunk;
    }
  } catch (error) {
    if (error instanceof UnreadableInput) throw error;
    throw new UnreadableInput(
      `corrupt or truncated gzip (${(error as Error).message}) at compressed byte ${compressed.toLocaleString('en-US')}; the rest of the file is skipped`,
    );
  } finally {
    gunzip.destroy();
  }
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MiB`;
}
