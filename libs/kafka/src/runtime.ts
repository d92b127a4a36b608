import type { Admin } from 'kafkajs';
import { startBatchLoop } from './batch-loop.ts';
import { createClient } from './client.ts';
import { createProducer, type RecordProducer, toMessages } from './producer.ts';
import { type ReadToEndOptions, readPartitionsToEnd } from './read-to-end.ts';
import { replayRecords } from './replay.ts';
import { ensureTopics, partitionCounts } from './topics.ts';
import type {
  BatchLoop,
  BatchLoopOptions,
  InputRecord,
  KafkaConnection,
  OutputRecord,
  ReplayOptions,
  RuntimeLogger,
  TopicSpec,
} from './types.ts';

export interface KafkaRuntime {
  ensureTopics(specs: TopicSpec[]): Promise<void>;
  partitionCounts(topics: string[]): Promise<Map<string, number>>;
  runBatchLoop(opts: BatchLoopOptions): Promise<BatchLoop>;
  readPartitionsToEnd(opts: ReadToEndOptions): Promise<number>;
  replay(opts: ReplayOptions): AsyncGenerator<InputRecord>;
  /** Plain idempotent produce (tests, tools); roles produce through their batch loop. */
  produce(records: OutputRecord[]): Promise<void>;
  /** End offsets (one past the last record) per partition. */
  endOffsets(topic: string): Promise<Map<number, bigint>>;
  /** Committed offsets of a group per partition (absent: nothing committed). */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, bigint>>;
  close(): Promise<void>;
}

/**
 * The runtime over one cluster connection. Admin and producer connect lazily and are shared. kafkajs consumes and
 * administers; @platformatic/kafka produces (ADR 0006).
 */
export function createKafka(connection: KafkaConnection, logger?: RuntimeLogger): KafkaRuntime {
  const kafka = createClient(connection, logger);
  let admin: Promise<Admin> | null = null;
  let producer: RecordProducer | null = null;
  const loops: BatchLoop[] = [];
  const connectedAdmin = () => {
    admin ??= (async () => {
      const a = kafka.admin();
      await a.connect();
      return a;
    })();
    return admin;
  };

  return {
    ensureTopics: async (specs) => ensureTopics(await connectedAdmin(), specs),
    partitionCounts: async (topics) => partitionCounts(await connectedAdmin(), topics),
    async runBatchLoop(opts) {
      const loop = await startBatchLoop(kafka, connection, opts, logger);
      loops.push(loop);
      return loop;
    },
    readPartitionsToEnd: async (opts) => readPartitionsToEnd(kafka, await connectedAdmin(), opts),
    async *replay(opts) {
      yield* replayRecords(kafka, await connectedAdmin(), opts);
    },
    async produce(records) {
      producer ??= createProducer(connection);
      await producer.send({ messages: toMessages(records) });
    },
    async endOffsets(topic) {
      const offsets = await (await connectedAdmin()).fetchTopicOffsets(topic);
      return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    },
    async committedOffsets(groupId, topic) {
      const [entry] = await (await connectedAdmin()).fetchOffsets({ groupId, topics: [topic] });
      const out = new Map<number, bigint>();
      for (const p of entry?.partitions ?? []) if (BigInt(p.offset) >= 0n) out.set(p.partition, BigInt(p.offset));
      return out;
    },
    async close() {
      await Promise.allSettled(loops.map((l) => l.stop()));
      if (producer) await producer.close();
      if (admin) await (await admin).disconnect();
    },
  };
}

/** `keywatch replay` from a topic: records from an offset or a timestamp, each tagged with its source format. */
export async function* replayTopic<F extends string>(
  opts: ReplayOptions & { brokers: string[]; clientId?: string; format: F; connection?: Omit<KafkaConnection, 'brokers'> },
): AsyncGenerator<InputRecord & { format: F }> {
  const runtime = createKafka({ clientId: opts.clientId ?? 'keywatch-replay', ...opts.connection, brokers: opts.brokers });
  try {
    for await (const record of runtime.replay(opts)) yield { ...record, format: opts.format };
  } finally {
    await runtime.close();
  }
}
