import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { PartitionProducers } from './partition-producers.ts';
import { createProducer, type RecordProducer, toMessages } from './producer.ts';
import { nextOffset, toInputRecord } from './records.ts';
import type {
  Assignment,
  BatchLoop,
  BatchLoopOptions,
  BatchResult,
  InputBatch,
  KafkaConnection,
  LoopHealth,
  OutputRecord,
  RuntimeLogger,
} from './types.ts';

/**
 * Runs a consume-transform-produce loop as a member of a consumer group. One batch (one partition) at a
 * time; with `exactly-once`, the batch's outputs and its consumed offsets go in one transaction.
 * kafkajs consumes (group membership, eachBatch, seek and pause on failure); @platformatic/kafka produces and
 * commits the transactions (ADR 0006).
 */
export async function startBatchLoop(
  kafka: Kafka,
  connection: KafkaConnection,
  opts: BatchLoopOptions,
  logger?: RuntimeLogger,
): Promise<BatchLoop> {
  const exactlyOnce = opts.delivery === 'exactly-once';
  const admin = kafka.admin();
  await admin.connect();
  const transactional = exactlyOnce
    ? new PartitionProducers(connection, {
        groupId: opts.groupId,
        prefix: opts.transactionalIdPrefix ?? opts.groupId,
        transactionTimeoutMs: opts.transactionTimeoutMs ?? 60_000,
        ...(logger ? { logger } : {}),
      })
    : null;
  const plain = exactlyOnce ? null : createProducer(connection);

  const health: LoopHealth = { running: true, crash: null, producerFailing: null, lastProgressAt: Date.now() };
  // Restarts in a row without a committed batch: past the budget the consumer stays down and `done` rejects.
  let restartsInARow = 0;
  const maxRestarts = opts.maxRestarts ?? 10;
  const consumer = kafka.consumer({
    groupId: opts.groupId,
    // Retries and backoff are the client's (KafkaConnection.retry); only the restart decision is ours.
    retry: {
      restartOnFailure: async () => {
        restartsInARow++;
        return restartsInARow <= maxRestarts;
      },
    },
    readUncommitted: false,
    allowAutoTopicCreation: false,
    sessionTimeout: opts.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: opts.heartbeatIntervalMs ?? 3000,
    rebalanceTimeout: opts.rebalanceTimeoutMs ?? 60_000,
    maxBytesPerPartition: opts.maxBytesPerPartition ?? 1_048_576,
    maxBytes: opts.maxBytes ?? 10_485_760,
    // The broker answers a fetch once it holds minBytes for us or after maxWaitTimeInMs. Caught up, a fetch would
    // otherwise return the few records that arrived during the last transaction, each batch paying a transaction:
    // waiting makes fewer, larger batches for up to maxWaitTimeInMs more latency per hop (docs/benchmarks.md).
    minBytes: opts.minBytes ?? 65_536,
    maxWaitTimeInMs: opts.maxWaitTimeMs ?? 200,
  });
  const membership = trackMembership(consumer, opts, (assignment) => transactional?.reconcile(assignment) ?? Promise.resolve());
  await consumer.connect();
  await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning ?? true });

  let resolveDone: () => void = () => {};
  let rejectDone: (error: Error) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => {}); // a caller that never awaits `done` must not get an unhandled rejection
  // kafkajs emits STOP on every crash too (it disconnects before deciding to restart): only stop() and a
  // crash without restart end the loop.
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    const error = String(payload.error);
    health.running = false;
    health.crash = { error, at: Date.now(), restarting: payload.restart };
    if (payload.restart) {
      logger?.warn({ groupId: opts.groupId, err: error, restartsInARow }, 'consumer crashed; restarting');
    } else {
      logger?.error({ groupId: opts.groupId, err: error, restartsInARow }, 'consumer crashed; not restarting');
      rejectDone(new Error(`consumer of group ${opts.groupId} crashed for good: ${error}`));
    }
  });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    health.running = true;
    health.producerFailing = null; // a failure on a partition no longer ours says nothing about the producer
    health.lastProgressAt = Math.max(health.lastProgressAt, Date.now());
  });

  // Batches of only transaction markers (or aborted records) never reach eachBatch; commit past them so
  // the group does not sit one offset short of the end (lag 1 forever) on a transactional input topic.
  const markerCommits = new Map<string, Promise<void>>();
  const markerKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.batchSize !== 0 || !membership.assignment().get(payload.topic)?.includes(payload.partition)) return;
    const k = markerKey(payload.topic, payload.partition);
    const commitAt = nextOffset(payload.lastOffset);
    const previous = markerCommits.get(k) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        // Retried: no later fetch brings these markers back, so one lost commit (e.g. CONCURRENT_TRANSACTIONS
        // while the previous transaction's markers are written) would leave the partition at lag 1 for good.
        for (let attempt = 0; ; attempt++) {
          // Never initialise a partition's producer once the partition is gone: that would fence its new owner.
          if (!membership.assignment().get(payload.topic)?.includes(payload.partition)) return;
          try {
            if (transactional) {
              await transactional.commit(payload, [], commitAt);
            } else {
              await consumer.commitOffsets([{ topic: payload.topic, partition: payload.partition, offset: commitAt }]);
            }
            return;
          } catch (error) {
            if (attempt >= 5) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
          }
        }
      })
      .catch((error: unknown) =>
        logger?.warn({ topic: payload.topic, partition: payload.partition, err: String(error) }, 'marker commit failed'),
      );
    markerCommits.set(k, next);
  });

  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    // Batches of different partitions are independent (own producer, own transaction, own state).
    partitionsConsumedConcurrently: opts.concurrentPartitions ?? 1,
    eachBatch: async (payload) => {
      const { batch } = payload;
      if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return;
      // A batch fetched before a rebalance for a partition now owned by another member must not be processed.
      if (!membership.assignment().get(batch.topic)?.includes(batch.partition)) return;
      await processBatch(payload);
    },
  });

  async function processBatch({ batch, heartbeat, resolveOffset }: EachBatchPayload): Promise<void> {
    const started = performance.now();
    const input: InputBatch = {
      topic: batch.topic,
      partition: batch.partition,
      records: batch.messages.map((m) => toInputRecord(batch.topic, batch.partition, m)),
      highWatermark: batch.highWatermark,
    };
    const commitAt = nextOffset(batch.lastOffset());
    await markerCommits.get(markerKey(batch.topic, batch.partition));
    let result: BatchResult | null = null;
    // A failure to produce or commit (not the handler's own) is what makes the producer look broken.
    const producing = <T>(step: Promise<T>): Promise<T> =>
      step.catch((error: unknown) => {
        health.producerFailing ??= { error: String(error), since: Date.now() };
        throw error;
      });
    try {
      if (transactional) {
        // Started (and the previous owner fenced) before the handler runs, which may read that owner's state.
        await producing(transactional.producer(batch.topic, batch.partition));
        result = await opts.handler(input, { heartbeat });
        await producing(transactional.commit(input, result.outputs, commitAt));
        await producing(offsetsVisible(admin, opts.groupId, input, commitAt));
      } else {
        result = await opts.handler(input, { heartbeat });
        await producing(commitAfterProduce(plain!, consumer, input, result.outputs, commitAt));
      }
      restartsInARow = 0;
      health.crash = null;
      health.producerFailing = null;
      health.lastProgressAt = Date.now();
      result.afterCommit?.();
    } catch (error) {
      result?.afterAbort?.();
      opts.onBatchEnd?.(input, { committed: false, durationMs: performance.now() - started, error });
      logger?.warn({ topic: input.topic, partition: input.partition, err: String(error) }, 'batch failed; it will be re-read');
      throw error;
    }
    resolveOffset(batch.lastOffset());
    opts.onBatchEnd?.(input, { committed: true, durationMs: performance.now() - started });
  }

  return {
    joined: () => membership.joined(),
    assignment: () => membership.assignment(),
    done,
    health: () => ({ ...health }),
    async stop() {
      // consumer.stop waits for the batch in flight, whose commit is part of processing.
      await consumer.stop();
      await consumer.disconnect();
      await transactional?.closeAll();
      await plain?.close();
      await admin.disconnect();
      health.running = false;
      resolveDone();
    },
  };
}

/**
 * Waits until the group coordinator shows the offsets committed by the transaction. EndTxn returns before
 * the commit markers are written; kafkajs' OffsetFetch (v4) cannot ask for stable offsets (KIP-447), so a
 * member taking over this partition right after a rebalance could otherwise read the previous offset
 * and process the batch again. Returning from the batch only once the offsets are visible closes that
 * window, and the next transaction no longer races the markers (CONCURRENT_TRANSACTIONS retries).
 */
async function offsetsVisible(admin: Admin, groupId: string, batch: InputBatch, commitAt: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const [topic] = await admin.fetchOffsets({ groupId, topics: [batch.topic] });
    const committed = topic?.partitions.find((p) => p.partition === batch.partition)?.offset;
    if (committed !== undefined && BigInt(committed) >= BigInt(commitAt)) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, 50)));
  }
  throw new Error(
    `offsets of ${batch.topic}[${batch.partition}] committed at ${commitAt} did not become visible to group ${groupId}`,
  );
}

async function commitAfterProduce(
  producer: RecordProducer,
  consumer: Consumer,
  batch: InputBatch,
  outputs: OutputRecord[],
  commitAt: string,
): Promise<void> {
  if (outputs.length > 0) await producer.send({ messages: toMessages(outputs) });
  await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: commitAt }]);
}

/** Follows joins and crashes so roles know what they own and whether ownership was continuous. */
function trackMembership(consumer: Consumer, opts: BatchLoopOptions, fence: (assignment: Assignment) => Promise<void>) {
  let assignment: Assignment = new Map();
  let joined = false;
  let lastMemberId: string | null = null;
  let interrupted = false;
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assignment = new Map(Object.entries(payload.memberAssignment).map(([topic, partitions]) => [topic, [...partitions]]));
    const sameMember = lastMemberId === payload.memberId && !interrupted;
    lastMemberId = payload.memberId;
    interrupted = false;
    joined = true;
    const fenced = fence(assignment);
    fenced.catch(() => {}); // the batch that needs a producer that failed to start reports it
    opts.onAssignment?.(assignment, sameMember, fenced);
  });
  consumer.on(consumer.events.REBALANCING, () => {
    joined = false;
  });
  consumer.on(consumer.events.CRASH, () => {
    joined = false;
    interrupted = true;
    assignment = new Map();
  });
  return { joined: () => joined, assignment: () => assignment };
}
