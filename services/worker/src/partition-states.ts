import type { Assignment, BatchContext, InputRecord } from '@keywatch/kafka';
import { decodeChangelogValue, isReorderKey, PartitionStore } from './partition-store.ts';

export interface PartitionStatesOptions {
  eventsTopic: string;
  /** Lateness bound of each partition's reorder buffer, seconds (`detect.latenessSeconds`). */
  latenessSeconds?: number;
  /** Reads the changelog partitions to their end (KafkaRuntime.readPartitionsToEnd, bound to the state topic). */
  restore: (partitions: number[], onRecord: (record: InputRecord) => void) => Promise<number>;
  onRestored?: (partitions: number[], records: number, ms: number) => void;
  onRestoreFailed?: (error: unknown) => void;
  /** How often to heartbeat the group while a batch waits for its restore. */
  heartbeatEveryMs?: number;
}

/**
 * The detect worker's state: one store per assigned events partition. A store exists only while its
 * partition is owned: it is restored from the changelog after an assignment, before any batch of that
 * partition runs, and dropped when the partition is revoked (or when ownership may have lapsed).
 */
export class PartitionStates {
  readonly #opts: PartitionStatesOptions;
  readonly #stores = new Map<number, PartitionStore>();
  #assigned: number[] = [];
  #restoring: Promise<void> = Promise.resolve();
  /** Bumped on every assignment: a restore begun under an older one must not install its result. */
  #epoch = 0;

  constructor(opts: PartitionStatesOptions) {
    this.#opts = opts;
  }

  /**
   * Kafka assignment callback: drop what is no longer (or not continuously) ours, restore the rest eagerly
   * once the previous owners are fenced (their last transactions are then committed or aborted).
   */
  onAssignment(assignment: Assignment, sameMember: boolean, fenced: Promise<void>): void {
    this.#epoch++;
    this.#assigned = [...(assignment.get(this.#opts.eventsTopic) ?? [])];
    for (const p of [...this.#stores.keys()]) {
      if (!sameMember || !this.#assigned.includes(p)) this.#stores.delete(p);
    }
    this.#restoring = this.#restoring
      .then(() => fenced)
      .then(() => this.#restoreMissing())
      .catch((error: unknown) => this.#opts.onRestoreFailed?.(error));
  }

  /** Forgets a partition's state (its batch failed: what Kafka holds is the truth). */
  drop(partition: number): void {
    this.#stores.delete(partition);
  }

  /** True when every assigned partition has its state. */
  restored(): boolean {
    return this.#assigned.every((p) => this.#stores.has(p));
  }

  /** The partitions, among those whose state this worker holds, that have a profile of `subject`. */
  holding(subject: string): number[] {
    const out: number[] = [];
    for (const [p, store] of this.#stores) if (store.has(subject)) out.push(p);
    return out;
  }

  assigned(): readonly number[] {
    return this.#assigned;
  }

  /** The store of a partition, waiting for (or doing) its restore first; heartbeats while it waits. */
  async storeFor(partition: number, context: BatchContext): Promise<PartitionStore> {
    await this.#whileHeartbeating(this.#restoring, context);
    let store = this.#stores.get(partition);
    if (!store) {
      await this.#whileHeartbeating(this.#restore([partition]), context);
      store = this.#stores.get(partition);
    }
    if (!store) throw new Error(`state of events partition ${partition} was not restored`);
    return store;
  }

  async #restoreMissing(): Promise<void> {
    const missing = this.#assigned.filter((p) => !this.#stores.has(p));
    if (missing.length > 0) await this.#restore(missing);
  }

  async #restore(partitions: number[]): Promise<void> {
    const started = performance.now();
    const epoch = this.#epoch;
    const fresh = new Map(partitions.map((p) => [p, new PartitionStore(this.#opts.latenessSeconds)]));
    const count = await this.#opts.restore(partitions, (record) => {
      const store = fresh.get(record.partition);
      if (!store || record.key === null) return;
      if (isReorderKey(record.key)) store.loadReorder(record.key, record.value);
      else store.load(record.key, record.value === null ? null : decodeChangelogValue(record.value));
    });
    if (epoch !== this.#epoch) return;
    // Only partitions still assigned keep their restored state.
    for (const [p, store] of fresh) if (this.#assigned.includes(p) && !this.#stores.has(p)) this.#stores.set(p, store);
    this.#opts.onRestored?.(partitions, count, performance.now() - started);
  }

  async #whileHeartbeating(work: Promise<void>, context: BatchContext): Promise<void> {
    let finished = false;
    const done = work.finally(() => {
      finished = true;
    });
    const every = this.#opts.heartbeatEveryMs ?? 1000;
    while (!finished) {
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, every))]);
      if (!finished) await context.heartbeat();
    }
    await done;
  }
}
