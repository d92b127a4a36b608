import type { DeliveryResult, Destination } from '@keywatch/destinations';
import { type BackoffPolicy, retryDelayMs } from './backoff.ts';
import type { TokenBucket } from './token-bucket.ts';
import type { DeliveryOutcome, DeliveryQueue, DestinationStats, Logger, QueuedDelivery } from './types.ts';

export interface WorkerDeps {
  destination: Destination;
  queue: DeliveryQueue;
  bucket: TokenBucket | null;
  /** True for items this destination receives as a digest. */
  isDigestItem: (item: QueuedDelivery) => boolean;
  digestMaxAlerts: number;
  backoff: BackoffPolicy;
  maxAttempts: number;
  batchSize: number;
  deadLetter: (item: QueuedDelivery, reason: string) => Promise<void>;
  now: () => number;
  random: () => number;
  logger: Logger;
  /** Removes configured secrets and secret patterns from reasons before they are logged, queued or dead-lettered. */
  redact: (text: string) => string;
  /** Told how each attempt ended (metrics). */
  onOutcome?: (destination: string, outcome: DeliveryOutcome) => void;
}

/** Start-up work talks to a server that is down or refusing us: never more than a few tries a second. */
const PREPARE_MIN_DELAY_MS = 200;

/** What one pass did: how many items it settled, and until when the destination is held back (rate limit, Retry-After). */
export interface PassOutcome {
  handled: number;
  blockedUntil: number | null;
}

/**
 * Delivers one destination's due items. Passes never overlap (each waits for the previous), so the background
 * loop and drain() can share a worker without sending an item twice.
 */
export class DestinationWorker {
  readonly stats: DestinationStats = { delivered: 0, duplicate: 0, retried: 0, deadLettered: 0 };
  readonly #deps: WorkerDeps;
  #pausedUntil = 0;
  #previous: Promise<unknown> = Promise.resolve();
  /** Start-up work (template installation…) not done yet: its items wait in the queue, no attempt is spent. */
  #prepared: boolean;
  #prepareFailures = 0;
  #prepareAt = 0;

  constructor(deps: WorkerDeps) {
    this.#deps = deps;
    this.#prepared = deps.destination.prepare === undefined;
  }

  /** False while the destination's start-up work has not succeeded yet. */
  get ready(): boolean {
    return this.#prepared;
  }

  get name(): string {
    return this.#deps.destination.name;
  }

  pass(): Promise<PassOutcome> {
    const run = this.#previous.then(() => this.#pass());
    this.#previous = run.catch(() => undefined);
    return run;
  }

  async #pass(): Promise<PassOutcome> {
    const { queue, destination, bucket, batchSize, digestMaxAlerts, now } = this.#deps;
    const start = now();
    if (!this.#prepared && !(await this.#prepare(start))) return { handled: 0, blockedUntil: this.#prepareAt };
    if (start < this.#pausedUntil) return { handled: 0, blockedUntil: this.#pausedUntil };
    const tokens = bucket ? bucket.available(start) : batchSize;
    if (tokens < 1) return { handled: 0, blockedUntil: bucket!.nextTokenAt(start) };
    const due = await queue.due(start, batchSize + digestMaxAlerts, destination.name);
    const mine = due.filter((item) => item.destination === destination.name);
    const digest = mine.filter(this.#deps.isDigestItem).slice(0, digestMaxAlerts);
    const single = mine.filter((item) => !this.#deps.isDigestItem(item));
    let budget = Math.min(tokens, batchSize);
    let handled = 0;
    if (digest.length > 0) {
      budget -= 1;
      bucket?.take(1, start);
      const result = await this.#sendDigest(digest);
      for (const item of digest) await this.#settle(item, result);
      handled += digest.length;
    }
    const batch = single.slice(0, Math.max(0, budget));
    if (batch.length > 0) {
      bucket?.take(batch.length, start);
      const results = await this.#send(batch);
      for (const [i, item] of batch.entries()) await this.#settle(item, results[i]);
      handled += batch.length;
    }
    const held = handled < mine.length && bucket ? bucket.nextTokenAt(now()) : null;
    return { handled, blockedUntil: this.#pausedUntil > now() ? this.#pausedUntil : held };
  }

  /** Tries the destination's start-up work when due; on failure schedules the next try with backoff. */
  async #prepare(start: number): Promise<boolean> {
    const { destination, logger, backoff, random, now, redact } = this.#deps;
    if (start < this.#prepareAt) return false;
    try {
      await destination.prepare?.();
      this.#prepared = true;
      if (this.#prepareFailures > 0) logger.info({ destination: destination.name }, 'destination ready; delivering its queue');
      return true;
    } catch (err) {
      this.#prepareFailures += 1;
      const delay = Math.max(PREPARE_MIN_DELAY_MS, retryDelayMs(this.#prepareFailures, backoff, random));
      this.#prepareAt = now() + delay;
      const reason = redact((err as Error)?.message ?? String(err));
      logger.warn(
        { destination: destination.name, reason, retryInMs: delay },
        'destination not ready; its alerts wait in the queue',
      );
      return false;
    }
  }

  async #send(items: QueuedDelivery[]): Promise<(DeliveryResult | undefined)[]> {
    try {
      return await this.#deps.destination.send(items.map((item) => item.alert));
    } catch (err) {
      // Destinations should not throw; if one does, its alerts wait rather than vanish.
      const reason = `destination failed unexpectedly (${(err as Error)?.name ?? 'error'})`;
      return items.map(() => ({ status: 'retry', reason }));
    }
  }

  async #sendDigest(items: QueuedDelivery[]): Promise<DeliveryResult> {
    const { destination } = this.#deps;
    if (!destination.sendDigest) return { status: 'rejected', reason: `destination ${destination.name} cannot send digests` };
    try {
      return await destination.sendDigest(items.map((item) => item.alert));
    } catch (err) {
      return { status: 'retry', reason: `digest failed unexpectedly (${(err as Error)?.name ?? 'error'})` };
    }
  }

  async #settle(item: QueuedDelivery, result: DeliveryResult | undefined): Promise<void> {
    const { queue, logger, redact } = this.#deps;
    const given = result ?? { status: 'retry' as const, reason: 'destination returned no result for this alert' };
    // Error bodies may echo the request (a routing key, a webhook URL): reasons are redacted before they go anywhere.
    const outcome = 'reason' in given ? { ...given, reason: redact(given.reason) } : given;
    const fields = { destination: item.destination, alertId: item.alert.keywatch.alert.id, attempts: item.attempts + 1 };
    switch (outcome.status) {
      case 'delivered':
      case 'duplicate':
        await queue.complete(item.id);
        this.stats[outcome.status === 'delivered' ? 'delivered' : 'duplicate'] += 1;
        this.#deps.onOutcome?.(item.destination, outcome.status);
        return;
      case 'rejected':
        logger.error({ ...fields, reason: outcome.reason }, 'alert rejected by destination; dead-lettered');
        await this.#deadLetter(item, outcome.reason);
        return;
      case 'retry':
        await this.#retry(item, outcome.reason, outcome.retryAfterMs);
        return;
    }
  }

  async #retry(item: QueuedDelivery, reason: string, retryAfterMs: number | undefined): Promise<void> {
    const { queue, logger, backoff, maxAttempts, now, random } = this.#deps;
    const attempts = item.attempts + 1;
    const fields = { destination: item.destination, alertId: item.alert.keywatch.alert.id, attempts, reason };
    if (attempts >= maxAttempts) {
      logger.error(fields, 'alert delivery gave up; dead-lettered');
      await this.#deadLetter({ ...item, attempts, lastError: reason }, `gave up after ${attempts} attempts: ${reason}`);
      return;
    }
    const at = now();
    // A Retry-After is honoured up to maxDelayMs: a receiver cannot park our deliveries for days.
    const pause = retryAfterMs === undefined ? undefined : Math.min(retryAfterMs, backoff.maxDelayMs);
    if (pause !== undefined) this.#pausedUntil = Math.max(this.#pausedUntil, at + pause);
    const delay = Math.max(retryDelayMs(attempts, backoff, random), pause ?? 0);
    logger.warn({ ...fields, retryInMs: delay }, 'alert delivery failed; will retry');
    await queue.reschedule({ ...item, attempts, notBefore: at + delay, lastError: reason });
    this.stats.retried += 1;
    this.#deps.onOutcome?.(item.destination, 'retried');
  }

  async #deadLetter(item: QueuedDelivery, reason: string): Promise<void> {
    const { queue, logger, deadLetter, now, backoff } = this.#deps;
    try {
      await deadLetter(item, reason);
    } catch (err) {
      // Keep the alert: a dead letter that cannot be written must not make it disappear.
      logger.error(
        { destination: item.destination, alertId: item.alert.keywatch.alert.id, error: (err as Error)?.name },
        'dead letter failed; alert kept in the queue',
      );
      await queue.reschedule({ ...item, notBefore: now() + backoff.maxDelayMs, lastError: reason });
      return;
    }
    await queue.complete(item.id);
    this.stats.deadLettered += 1;
    this.#deps.onOutcome?.(item.destination, 'dead_lettered');
  }
}
