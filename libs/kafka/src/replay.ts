import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { toInputRecord } from './records.ts';
import type { InputRecord, ReplayOptions } from './types.ts';

/**
 * Reads a topic from an offset or a timestamp as an async iterable, in a throw-away consumer group that
 * commits nothing. Without `follow` it ends at the end offsets taken when it starts. The consumer waits
 * while the caller processes a batch, so memory stays bounded by one fetch.
 */
export async function* replayRecords(kafka: Kafka, admin: Admin, opts: ReplayOptions): AsyncGenerator<InputRecord> {
  const starts = await startOffsets(admin, opts);
  const ends = opts.follow ? null : await endOffsets(admin, opts.topic);
  const remaining = new Set([...starts].filter(([p, start]) => ends === null || start < (ends.get(p) ?? 0n)).map(([p]) => p));
  if (ends !== null && remaining.size === 0) return;

  const groupId = `keywatch-replay-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 200 });
  const queue: { records: InputRecord[]; taken: () => void }[] = [];
  let wake: () => void = () => {};
  const progress = (partition: number, lastOffset: string) => {
    if (ends !== null && BigInt(lastOffset) + 1n >= (ends.get(partition) ?? 0n)) remaining.delete(partition);
    wake();
  };
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => progress(payload.partition, payload.lastOffset));
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [opts.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, isStale }) => {
        if (isStale()) return;
        const end = ends?.get(batch.partition);
        const records = batch.messages
          .filter((m) => end === undefined || BigInt(m.offset) < end)
          .map((m) => toInputRecord(batch.topic, batch.partition, m));
        if (records.length === 0) return;
        await new Promise<void>((taken) => {
          queue.push({ records, taken });
          wake();
        });
      },
    });
    for (const [partition, offset] of starts) consumer.seek({ topic: opts.topic, partition, offset: offset.toString() });

    const idleMs = opts.idleTimeoutMs ?? 30_000;
    while (true) {
      const next = queue.shift();
      if (next) {
        yield* next.records;
        next.taken();
        continue;
      }
      if (ends !== null && remaining.size === 0) return;
      const woke = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), idleMs);
        wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      if (!woke)
        throw new Error(`replay of ${opts.topic}: no record for ${idleMs} ms (partitions left: ${[...remaining].join(',')})`);
    }
  } finally {
    for (const item of queue) item.taken();
    await consumer.disconnect().catch(() => {});
    await admin.deleteGroups([groupId]).catch(() => {});
  }
}

async function startOffsets(admin: Admin, opts: ReplayOptions): Promise<Map<number, bigint>> {
  if (opts.fromTimestamp !== undefined) {
    const offsets = await admin.fetchTopicOffsetsByTimestamp(opts.topic, opts.fromTimestamp);
    const ends = await endOffsets(admin, opts.topic);
    // -1: no record at or after the time in that partition; start at its end.
    return new Map(offsets.map((o) => [o.partition, BigInt(o.offset) < 0n ? (ends.get(o.partition) ?? 0n) : BigInt(o.offset)]));
  }
  const bounds = await admin.fetchTopicOffsets(opts.topic);
  const from = BigInt(opts.fromOffset ?? 0);
  return new Map(bounds.map((o) => [o.partition, from < BigInt(o.low) ? BigInt(o.low) : from]));
}

async function endOffsets(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
}
