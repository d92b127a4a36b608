import { createReadStream, globSync, realpathSync, statSync } from 'node:fs';
import { KeywatchError } from '@keywatch/errors';
import { readItemBatches } from '@keywatch/input';
import type { InputRecord, RecordOrigin } from '@keywatch/pipeline';
import { type NormalizeOptions, normalizeRecord, readRecords } from '@keywatch/sources';
import { fileId } from './output.ts';

export class InputError extends KeywatchError {
  constructor(message: string) {
    super(message, { expected: true, retriable: false });
  }
}

/**
 * Expands `--input` values: `-` is stdin, anything with glob characters is a glob, the rest are paths. Glob
 * matches in `exclude` (file ids, output.ts) are left out.
 */
export function expandInputs(inputs: string[], exclude: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  // One file named twice (two globs, a path and a glob) is read once: counting it twice changes alerts.
  const seen = new Set<string>();
  const add = (path: string) => {
    let real = path;
    try {
      real = realpathSync(path);
    } catch {}
    if (seen.has(real)) return;
    seen.add(real);
    out.push(path);
  };
  for (const input of inputs) {
    if (input === '-') {
      add('-');
    } else if (/[*?[{]/.test(input)) {
      const matches = globSync(input).sort();
      if (matches.length === 0) throw new InputError(`--input ${input}: no file matches this pattern`);
      // A run's own outputs (alerts, dead letters, state) are never read back as input.
      for (const match of matches) {
        if (statSync(match, { throwIfNoEntry: false })?.isFile() !== false && !exclude.has(fileId(match))) add(match);
      }
    } else {
      let isFile = false;
      try {
        isFile = statSync(input).isFile();
      } catch {
        throw new InputError(`--input ${input}: no such file`);
      }
      if (!isFile) throw new InputError(`--input ${input}: not a file (use a glob such as '${input}/*.ndjson')`);
      add(input);
    }
  }
  return out;
}

/**
 * Files in the order of their calls: by the earliest event time in each file's first chunk (ties and files
 * without a readable event keep their given order, those first). Globs sort by name, and CloudTrail's names put
 * the region before the time, so a trail read by name arrives one region at a time, far more out of order than
 * the reorder buffer's bound (docs/detection.md, "Events out of order"); ~5-minute files ordered by their first
 * call interleave within it. Costs one extra open and one chunk per file.
 */
export async function orderByFirstEvent(files: string[], options: NormalizeOptions): Promise<string[]> {
  if (files.length < 2 || files.includes('-')) return files;
  const times = new Map<string, number>();
  for (const file of files) times.set(file, await firstEventTime(file, options));
  // Array.prototype.sort is stable: equal times keep the order given.
  return [...files].sort((a, b) => times.get(a)! - times.get(b)!);
}

async function firstEventTime(file: string, options: NormalizeOptions): Promise<number> {
  const bytes = createReadStream(file);
  try {
    for await (const items of readItemBatches(bytes)) {
      let earliest = Number.POSITIVE_INFINITY;
      for (const item of items) {
        if (item.error !== undefined) continue;
        for (const event of normalizeRecord(item.value, options, item.text).events)
          earliest = Math.min(earliest, Date.parse(event.time));
      }
      // Only the first chunk: newest-first exports put their oldest call at the end of a small file, within it.
      return Number.isFinite(earliest) ? earliest : Number.NEGATIVE_INFINITY;
    }
  } catch {
    // An unreadable file is read (and dead-lettered) where it stands: first.
  } finally {
    bytes.destroy();
  }
  return Number.NEGATIVE_INFINITY;
}

/**
 * Records of one input, a chunk's worth at a time, each with where it came from. Files and stdin are
 * streamed in bounded memory by @keywatch/input (gzip by magic bytes, NDJSON or JSON documents); a file
 * that cannot be opened or read is one dead letter, and the run goes on with the next input.
 */
export async function* readInput(path: string): AsyncGenerator<{ record: InputRecord; origin: RecordOrigin }[]> {
  const file = path === '-' ? 'stdin' : path;
  const bytes = path === '-' ? (process.stdin as AsyncIterable<Buffer>) : createReadStream(path);
  try {
    for await (const items of readItemBatches(bytes)) {
      yield items.map((item) => ({
        record:
          item.error === undefined
            ? { value: item.value, text: item.text }
            : { error: item.error, raw: item.raw, reason: item.reason },
        origin: { file, line: item.line },
      }));
    }
  } catch (error) {
    // Input problems never end the run with a stack trace: the file is one dead letter, the rest goes on.
    const code = (error as NodeJS.ErrnoException).code;
    const message = `cannot read ${file}: ${code ?? ''} ${(error as Error).message}`.replace(/\s+/g, ' ');
    yield [{ record: { error: message, raw: '', reason: 'unreadable_input' }, origin: { file, line: 0 } }];
  }
}

function toInputRecord(r: { value?: unknown; error?: string; raw: string }): InputRecord {
  return r.error !== undefined ? { error: r.error, raw: r.raw } : { value: r.value, text: r.raw };
}

export interface TopicInput {
  brokers: string[];
  topic: string;
  fromOffset?: number;
  fromTimestamp?: number;
}

/** Records of a Kafka topic from an offset or a time, up to its end when the replay starts. */
export async function* readTopic(t: TopicInput): AsyncGenerator<{ record: InputRecord; origin: RecordOrigin }[]> {
  // Loaded here, not at start-up: only topic replays need the Kafka client.
  const { replayTopic } = await import('@keywatch/kafka');
  const records = replayTopic({
    brokers: t.brokers,
    topic: t.topic,
    format: 'auto',
    ...(t.fromOffset !== undefined ? { fromOffset: t.fromOffset } : {}),
    ...(t.fromTimestamp !== undefined ? { fromTimestamp: t.fromTimestamp } : {}),
  });
  for await (const r of records) {
    const origin = { file: `${r.topic}/${r.partition}`, line: Number(r.offset) };
    const text = r.value?.toString('utf8') ?? '';
    yield [...readRecords(text)].map((parsed) => ({ record: toInputRecord(parsed), origin }));
  }
}
