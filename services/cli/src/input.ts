import { createReadStream, globSync, realpathSync, statSync } from 'node:fs';
import { KeywatchError } from '@keywatch/errors';
import { readItemBatches } from '@keywatch/input';
import type { InputRecord, RecordOrigin } from '@keywatch/pipeline';
import { readRecords } from '@keywatch/sources';
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
        record: item.error === undefined ? { value: item.value } : { error: item.error, raw: item.raw, reason: item.reason },
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
  return r.error !== undefined ? { error: r.error, raw: r.raw } : { value: r.value };
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
