import type { EcsAlert } from '@keywatch/alerts';

/** One alert waiting for one destination. */
export interface QueuedDelivery {
  /**
   * `<alert version id>:<destination>`: the same version of an alert re-submitted for the same destination is
   * the same item; a later version (`<id>-r<count>`) is a new one.
   */
  id: string;
  destination: string;
  alert: EcsAlert;
  /** Failed attempts so far. */
  attempts: number;
  /** Epoch ms before which the item is not tried (backoff, Retry-After, digest time). */
  notBefore: number;
  lastError: string | null;
}

/** Durable when a promise resolves: an item enqueued survives a crash until it is completed. */
export interface DeliveryQueue {
  /** Idempotent on id. */
  enqueue(items: QueuedDelivery[]): Promise<void>;
  /**
   * Items with notBefore <= now, oldest first. With `destination`, only that destination's items, so a backlog
   * for a dead destination never hides the due items of a healthy one; implementations that ignore it are
   * still correct, only less fair.
   */
  due(now: number, limit: number, destination?: string): Promise<QueuedDelivery[]>;
  /** When the destination's earliest queued item becomes due (epoch ms), or null when it has none. */
  nextDueAt(destination: string): Promise<number | null>;
  complete(id: string): Promise<void>;
  reschedule(item: QueuedDelivery): Promise<void>;
  size(): Promise<number>;
  /** Per destination that has items: how many wait, and when the oldest was enqueued (epoch ms). */
  backlog(): Promise<Map<string, Backlog>>;
  close(): Promise<void>;
}

export interface DestinationStats {
  delivered: number;
  duplicate: number;
  /** Attempts that failed and were scheduled again. */
  retried: number;
  deadLettered: number;
}

export type DispatchStats = Record<string, DestinationStats>;

/** What a destination's queue holds: items waiting (due, backing off or held for a digest) and the oldest's age. */
export interface Backlog {
  depth: number;
  oldestEnqueuedAt: number;
}

/** How one attempt at one queued item ended, for metrics. */
export type DeliveryOutcome = 'delivered' | 'duplicate' | 'retried' | 'dead_lettered';

/** Structured logger; pino's `logger.warn(fields, message)` fits. */
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface Dispatcher {
  /** Routes each alert and enqueues one QueuedDelivery per destination; resolves when they are durable. */
  submit(alerts: EcsAlert[]): Promise<void>;
  /** Starts one background delivery loop per destination. */
  start(): void;
  /**
   * Keeps delivering, retries and rate limits included, until nothing queued can become due before the
   * timeout (then the rest stays queued); for the end of a run, shutdown and tests.
   */
  drain(timeoutMs: number): Promise<void>;
  /** Stops the loops after their current attempt. */
  stop(): Promise<void>;
  stats(): DispatchStats;
  /** Destinations whose start-up work has not succeeded yet (their alerts wait in the queue). */
  notReady(): string[];
}
