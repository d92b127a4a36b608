import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { toInputRecord } from './records.ts';
import type { InputRecord } from './types.ts';

export interface ReadToEndOptions {
  topic: string;
  partitions: number[];
  /** Prefix of the throw-away consumer group's id (kafkajs has no group-less assign). */
  groupPrefix: string;
  onRecord: (record: InputRecord) => void;
  timeoutMs?: number;
}

/**
 * Reads the given partitions of a topic from the beginning up to the end offsets taken at the start,
 * committed records only. Used to restore a partition's state from its changelog. A partition whose last
 * transaction is still open (its writer crashed) completes once the coordinator aborts it.
 */
export async function readPartitionsToEnd(kafka: Kafka, admin: Admin, opts: ReadToEndOptions): Promise<number> {
  const ends = await endOffsets(admin, opts.topic, opts.partitions);
  const pending = new Set(opts.partitions.filter((p) => (ends.get(p) ?? 0n) > 0n));
  if (pending.size === 0) return 0;

  const groupId = `${opts.groupPrefix}-restore-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  let count = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const progress = (partition: number, lastOffset: string) => {
    const end = ends.get(partition);
    if (end !== undefined && BigInt(lastOffset) + 1n >= end) pending.delete(partition);
    if (pending.size === 0) finish();
  };
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.topic === opts.topic) progress(payload.partition, payload.lastOffset);
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const all = payload.memberAssignment[opts.topic] ?? [];
    const unwanted = all.filter((p) => !opts.partitions.includes(p));
    if (unwanted.length > 0) consumer.pause([{ topic: opts.topic, partitions: unwanted }]);
  });

  const timeoutMs = opts.timeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`restore of ${opts.topic} partitions ${[...pending].join(',')} did not reach the end in ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [opts.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (!opts.partitions.includes(batch.partition)) return;
        const end = ends.get(batch.partition) ?? 0n;
        for (const message of batch.messages) {
          if (BigInt(message.offset) >= end) break;
          opts.onRecord(toInputRecord(batch.topic, batch.partition, message));
          count++;
        }
      },
    });
    await Promise.race([finished, timedOut]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => {});
    await admin.deleteGroups([groupId]).catch(() => {});
  }
  return count;
}

async function endOffsets(admin: Admin, topic: string, partitions: number[]): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const ends = new Map<number, bigint>();
  for (const o of offsets) {
    if (partitions.includes(o.partition) && BigInt(o.high) > BigInt(o.low)) ends.set(o.partition, BigInt(o.high));
  }
  return ends;
}
