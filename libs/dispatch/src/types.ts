import type { EcsAlert } from '@keywatch/alerts';

/** One alert waiting for one destination. */
export interface QueuedDelivery {
  /** `${alertId}:${destination}`: the same alert re-submitted for the same destination is the same item. */
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
  complete(id: string): Promise<void>;
  reschedule(item: QueuedDelivery): Promise<void>;
  size(): Promise<number>;
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
  /** Delivers what is due now (waiting for rate limits that clear before the timeout), for shutdown and tests. */
  drain(timeoutMs: number): Promise<void>;
  /** Stops the loops after their current attempt. */
  stop(): Promise<void>;
  stats(): DispatchStats;
}
