import type { Kafka, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { Assignment, RuntimeLogger } from './types.ts';

/**
 * One transactional producer per owned input partition, with a transactional id derived from the group
 * and the partition (not from the worker). Whoever owns a partition next initialises the same id, which
 * makes the coordinator abort the previous owner's open transaction at once (a crashed worker's batch
 * no longer blocks read_committed readers until it times out) and fences that owner if it is still alive.
 */
export class PartitionProducers {
  readonly #kafka: Kafka;
  readonly #prefix: string;
  readonly #transactionTimeoutMs: number;
  readonly #logger: RuntimeLogger | undefined;
  readonly #producers = new Map<string, Promise<Producer>>();

  constructor(kafka: Kafka, opts: { prefix: string; transactionTimeoutMs: number; logger?: RuntimeLogger }) {
    this.#kafka = kafka;
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
      producer.then((p) => p.disconnect()).catch(() => {});
    }
    const fresh = [...assignment].flatMap(([topic, partitions]) => partitions.map((p) => this.producer(topic, p)));
    return Promise.all(fresh).then(() => {});
  }

  /** The partition's producer, created and fenced on first use. */
  producer(topic: string, partition: number): Promise<Producer> {
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

  /** Forgets a partition's producer (after a failed transaction its state is unknown). */
  async reset(topic: string, partition: number): Promise<void> {
    const k = key(topic, partition);
    const producer = this.#producers.get(k);
    this.#producers.delete(k);
    await producer?.then((p) => p.disconnect()).catch(() => {});
  }

  async closeAll(): Promise<void> {
    const all = [...this.#producers.values()];
    this.#producers.clear();
    await Promise.allSettled(all.map((p) => p.then((producer) => producer.disconnect())));
  }

  async #create(topic: string, partition: number): Promise<Producer> {
    const transactionalId = this.transactionalId(topic, partition);
    const producer = this.#kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: this.#transactionTimeoutMs,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    // Starting a transaction runs InitProducerId: the coordinator completes (aborts) whatever the previous
    // owner of this id left open and bumps the epoch, fencing that owner.
    await (await producer.transaction()).abort();
    this.#logger?.debug({ transactionalId }, 'transactional producer ready');
    return producer;
  }
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
