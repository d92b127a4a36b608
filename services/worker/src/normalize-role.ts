import type { CanonicalEvent } from '@keywatch/event';
import type { BatchHandler, InputRecord, OutputRecord } from '@keywatch/kafka';
import { baselineSubject } from '@keywatch/pipeline';
import { GATEWAY_PRESETS, type GatewayMapping, type NormalizeOptions, normalizeLine } from '@keywatch/sources';
import { fingerprintKeyOf, type WorkerConfig } from './config.ts';
import { deadLetterRecord, firstLine } from './dead-letter.ts';

/** Per raw topic, how to read it. Unknown gateway presets are configuration errors, found at start. */
export function sourceOptions(config: WorkerConfig, env: NodeJS.ProcessEnv = process.env): Map<string, NormalizeOptions> {
  const byTopic = new Map<string, NormalizeOptions>();
  const fingerprintKey = fingerprintKeyOf(config, env);
  config.sources.forEach((source, i) => {
    if (byTopic.has(source.topic)) throw new Error(`sources[${i}].topic: ${source.topic} is listed twice`);
    const options: NormalizeOptions = { format: source.format, ...(fingerprintKey ? { fingerprintKey } : {}) };
    if (source.gateway !== undefined) {
      const preset = (GATEWAY_PRESETS as Record<string, GatewayMapping>)[source.gateway];
      if (!preset) {
        throw new Error(
          `sources[${i}].gateway: unknown preset ${source.gateway}; choose one of ${Object.keys(GATEWAY_PRESETS).join(', ')}`,
        );
      }
      options.gateway = preset;
    }
    byTopic.set(source.topic, options);
  });
  return byTopic;
}

/**
 * normalize: each raw record → canonical events on the events topic, keyed by baseline subject (so every
 * event of a key, or of a role's sessions, reaches the same detect partition) and packed per key and batch
 * (EventPacks), and dead letters on the DLQ with the reason and the
 * source position in headers. Everything written has been redacted by the source adapters. `onCommitted` gets
 * the times of the events once they are committed (freshness metric).
 */
export function createNormalizeHandler(
  config: WorkerConfig,
  env: NodeJS.ProcessEnv = process.env,
  onCommitted: (eventTimesMs: number[]) => void = () => {},
): BatchHandler {
  const sources = sourceOptions(config, env);
  const { events: eventsTopic, dlq: dlqTopic } = config.topics;
  return (batch) => {
    const options = sources.get(batch.topic);
    if (!options) throw new Error(`normalize: no source configured for topic ${batch.topic}`);
    const outputs: OutputRecord[] = [];
    const packs = new EventPacks(eventsTopic, outputs);
    const times: number[] = [];
    for (const record of batch.records) {
      for (const event of normalizeInput(record, options, dlqTopic, outputs)) {
        packs.add(baselineSubject(event), JSON.stringify(event));
        times.push(Date.parse(event.time));
      }
    }
    packs.flush();
    return { outputs, afterCommit: () => onCommitted(times) };
  };
}

/**
 * The canonical events of one raw record; what the adapters reject (and a record an adapter fails on) goes to
 * `outputs` as a dead letter with the reason and the record's position in headers, redacted.
 */
export function normalizeInput(
  record: InputRecord,
  options: NormalizeOptions,
  dlqTopic: string,
  outputs: OutputRecord[],
): CanonicalEvent[] {
  let result: ReturnType<typeof normalizeLine>;
  try {
    result = normalizeLine(record.value?.toString('utf8') ?? '', options);
  } catch (error) {
    // Never block the partition on one record (issue 10).
    outputs.push(deadLetterRecord(dlqTopic, record, 'processing_error', `normalize failed: ${firstLine(error)}`));
    return [];
  }
  for (const dead of result.deadLetters) {
    const source = { topic: record.topic, partition: String(record.partition), offset: record.offset };
    outputs.push({
      topic: dlqTopic,
      key: null,
      value: JSON.stringify({ reason: dead.reason, message: dead.message, record: dead.record, source }),
      headers: {
        reason: dead.reason,
        message: dead.message,
        'source.topic': source.topic,
        'source.partition': source.partition,
        'source.offset': source.offset,
      },
    });
  }
  return result.events;
}

/** A pack is written once it holds this many events or bytes: records stay far below the broker's 1 MiB limit. */
export const PACK_MAX_EVENTS = 200;
export const PACK_MAX_BYTES = 256 * 1024;

/**
 * The events of one key in a batch, as few events-topic records as possible: each record's value is one event
 * JSON or several separated by newlines (JSON never holds a raw newline). Producing and consuming cost mostly
 * per record (kafkajs: about half the CPU per event with a few events a record), and one key's events stay in
 * order: same key, same partition, packs written in the order they fill.
 */
export class EventPacks {
  readonly #topic: string;
  readonly #outputs: OutputRecord[];
  readonly #open = new Map<string, { lines: string[]; bytes: number }>();

  constructor(topic: string, outputs: OutputRecord[]) {
    this.#topic = topic;
    this.#outputs = outputs;
  }

  add(key: string, eventJson: string): void {
    let pack = this.#open.get(key);
    if (!pack) {
      pack = { lines: [], bytes: 0 };
      this.#open.set(key, pack);
    }
    pack.lines.push(eventJson);
    pack.bytes += eventJson.length + 1;
    if (pack.lines.length >= PACK_MAX_EVENTS || pack.bytes >= PACK_MAX_BYTES) {
      this.#write(key, pack.lines);
      this.#open.delete(key);
    }
  }

  /** Writes the packs still open (end of the batch). */
  flush(): void {
    for (const [key, pack] of this.#open) this.#write(key, pack.lines);
    this.#open.clear();
  }

  #write(key: string, lines: string[]): void {
    this.#outputs.push({ topic: this.#topic, key, value: lines.join('\n') });
  }
}
