import { Consumer, type Message } from '@platformatic/kafka';
import { clientOptions, createProducer, type RecordProducer, toMessages } from './producer.ts';
import type { Assignment, KafkaConnection, OutputRecord, RuntimeLogger } from './types.ts';

/**
 * One transactional producer per owned input partition, with a transactional id derived from the group
 * and the partition (not from the worker). Whoever owns a partition next initialises the same id, which
 * makes the coordinator abort the previous owner's open transaction at once (a crashed worker's batch
 * no longer blocks read_committed readers until it times out) and fences that owner if it is still alive.
 * The producers are @platformatic/kafka's (a third of kafkajs' CPU per record, ADR 0006); the consumer that
 * holds the group membership stays kafkajs'.
 */
export class PartitionProducers {
  readonly #connection: KafkaConnection;
  readonly #groupId: string;
  readonly #prefix: string;
  readonly #transactionTimeoutMs: number;
  readonly #logger: RuntimeLogger | undefined;
  readonly #producers = new Map<string, Promise<RecordProducer>>();
  #groupCoordinator: Promise<number> | null = null;

  constructor(
    connection: KafkaConnection,
    opts: { groupId: string; prefix: string; transactionTimeoutMs: number; logger?: RuntimeLogger },
  ) {
    this.#connection = connection;
    this.#groupId = opts.groupId;
    this.#prefix = opts.prefix;
    this.#transactionTimeoutMs = opts.transactionTimeoutMs;
    this.#logger = opts.logger;
  }

  transactionalId(topic: string, partition: number): string {
    return `${this.#prefix}-${topic}-${partition}`;
  }

  /** Follows an assignment: closes producers of partitions no longer owned, fences the new ones. */
  reconcile(assignment: Assignment): Promise<void> {
    const wanted = new Set([...assignment].flatMap(([topic, partitions]) => partitions.map((p) => key(topic, p))));
    for (const [k, producer] of [...this.#producers]) {
      if (wanted.has(k)) continue;
      this.#producers.delete(k);
      producer.then((p) => p.close()).catch(() => {});
    }
    const fresh = [...assignment].flatMap(([topic, partitions]) => partitions.map((p) => this.producer(topic, p)));
    return Promise.all(fresh).then(() => {});
  }

  /** The partition's producer, created and fenced on first use. */
  producer(topic: string, partition: number): Promise<RecordProducer> {
    const k = key(topic, partition);
    let producer = this.#producers.get(k);
    if (!producer) {
      producer = this.#create(topic, partition);
      this.#producers.set(k, producer);
      // A failed start is retried by the next caller.
      producer.catch(() => this.#producers.delete(k));
    }
    return producer;
  }

  /**
   * Produces the outputs and commits the group's offset `commitAt` of the input partition in one transaction
   * of that partition's producer. On failure the transaction is aborted (if the broker still takes it) and the
   * producer forgotten: its state is unknown, and the next use initialises the id again.
   */
  async commit(input: { topic: string; partition: number }, outputs: OutputRecord[], commitAt: string): Promise<void> {
    const producer = await this.producer(input.topic, input.partition);
    try {
      const coordinatorId = await this.#coordinator();
      const tx = await producer.beginTransaction();
      try {
        if (outputs.length > 0) await tx.send({ messages: toMessages(outputs) });
        await tx.addConsumer({ groupId: this.#groupId } as Consumer);
        // The offset commit (TxnOffsetCommit) names the group only: generation -1 and no member id, as kafkajs
        // sends it. The membership is kafkajs' consumer's, so there is no generation here to check against; the
        // coordinator accepts such a commit without checking one (no KIP-447), and fencing stays with the
        // transactional id of the partition (ADR 0003).
        await tx.addOffset({
          topic: input.topic,
          partition: input.partition,
          offset: BigInt(commitAt) - 1n, // the client commits the offset after the record it is given
          metadata: { consumer: { groupId: this.#groupId, generationId: -1, memberId: '', coordinatorId } },
        } as unknown as Message);
        await tx.commit();
      } catch (error) {
        await tx.abort().catch(() => {});
        throw error;
      }
    } catch (error) {
      this.#groupCoordinator = null; // it may have moved (NOT_COORDINATOR): ask again next time
      await this.reset(input.topic, input.partition);
      throw error;
    }
  }

  /** Forgets a partition's producer (after a failed transaction its state is unknown). */
  async reset(topic: string, partition: number): Promise<void> {
    const k = key(topic, partition);
    const producer = this.#producers.get(k);
    if (!producer) return;
    this.#producers.delete(k);
    await producer.then((p) => p.close()).catch(() => {});
  }

  async closeAll(): Promise<void> {
    const all = [...this.#producers.values()];
    this.#producers.clear();
    await Promise.allSettled(all.map((p) => p.then((producer) => producer.close())));
  }

  async #create(topic: string, partition: number): Promise<RecordProducer> {
    const transactionalId = this.transactionalId(topic, partition);
    const producer = createProducer(this.#connection, {
      transactionalId,
      transactionTimeoutMs: this.#transactionTimeoutMs,
    });
    try {
      // Beginning a transaction runs InitProducerId: the coordinator completes (aborts) whatever the previous
      // owner of this id left open and bumps the epoch, fencing that owner. Nothing is sent in it; cancel only
      // clears the client's side, and the next transaction reuses the producer id and epoch.
      await (await producer.beginTransaction()).cancel();
    } catch (error) {
      await producer.close().catch(() => {});
      throw error;
    }
    this.#logger?.debug({ transactionalId }, 'transactional producer ready');
    return producer;
  }

  /** The group coordinator's node, where TxnOffsetCommit goes (the client needs it named in the offset). */
  #coordinator(): Promise<number> {
    this.#groupCoordinator ??= (async () => {
      const finder = new Consumer({ ...clientOptions(this.#connection), groupId: this.#groupId });
      try {
        return await finder.findGroupCoordinator();
      } finally {
        await finder.close().catch(() => {});
      }
    })();
    const found = this.#groupCoordinator;
    found.catch(() => {
      if (this.#groupCoordinator === found) this.#groupCoordinator = null;
    });
    return found;
  }
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
