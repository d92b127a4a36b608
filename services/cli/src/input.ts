import { createReadStream, globSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { gunzipSync } from 'node:zlib';
import type { InputRecord, RecordOrigin } from '@keywatch/pipeline';
import { readRecordStream, readRecords } from '@keywatch/sources';

/** Files above this size are streamed line by line (NDJSON) instead of read whole. */
const WHOLE_FILE_LIMIT = 64 * 1024 * 1024;

export class InputError extends Error {
  override name = 'InputError';
}

/** Expands `--input` values: `-` is stdin, anything with glob characters is a glob, the rest are paths. */
export function expandInputs(inputs: string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      out.push('-');
    } else if (/[*?[{]/.test(input)) {
      const matches = globSync(input).sort();
      if (matches.length === 0) throw new InputError(`--input ${input}: no file matches this pattern`);
      out.push(...matches);
    } else {
      let isFile = false;
      try {
        isFile = statSync(input).isFile();
      } catch {
        throw new InputError(`--input ${input}: no such file`);
      }
      if (!isFile) throw new InputError(`--input ${input}: not a file (use a glob such as '${input}/*.ndjson')`);
      out.push(input);
    }
  }
  return out;
}

/**
 * Records of one input, each with where it came from. Small files are read whole, so a pretty-printed
 * `{"Records":[...]}` document works; `.gz` files (CloudTrail's S3 delivery) are decompressed.
 */
export async function* readInput(path: string): AsyncGenerator<{ record: InputRecord; origin: RecordOrigin }> {
  const file = path === '-' ? 'stdin' : path;
  if (path !== '-' && (path.endsWith('.gz') || statSync(path).size <= WHOLE_FILE_LIMIT)) {
    const buf = readFileSync(path);
    const text = (path.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
    for (const r of readRecords(text)) yield { record: toInputRecord(r), origin: { file, line: r.line } };
    return;
  }
  const lines = createInterface({
    input: path === '-' ? process.stdin : createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const r of readRecordStream(lines)) yield { record: toInputRecord(r), origin: { file, line: r.line } };
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
export async function* readTopic(t: TopicInput): AsyncGenerator<{ record: InputRecord; origin: RecordOrigin }> {
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
    for (const parsed of readRecords(text)) yield { record: toInputRecord(parsed), origin };
  }
}
