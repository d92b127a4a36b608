import { alertVersionId, type EcsAlert } from '@keywatch/alerts';
import { DESTINATION_MODULES, type Destination } from '@keywatch/destinations';
import { type DispatchConfig, type RateLimit, unknownDestinationProblems } from './config.ts';
import { nextDigestAt } from './digest.ts';
import { silentLogger } from './logger.ts';
import { routeAlert } from './routing.ts';
import { TokenBucket } from './token-bucket.ts';
import type { DeliveryOutcome, DeliveryQueue, Dispatcher, DispatchStats, Logger, QueuedDelivery } from './types.ts';
import { DestinationWorker } from './worker.ts';

/** Limits that keep us a good citizen when the config says nothing, as each destination module declares them. */
const DEFAULT_RATE_LIMITS = new Map<string, RateLimit>(
  DESTINATION_MODULES.flatMap((m) => ('defaultRateLimit' in m && m.defaultRateLimit ? [[m.kind, m.defaultRateLimit]] : [])),
);

export interface DispatcherOptions {
  destinations: Destination[];
  queue: DeliveryQueue;
  config: DispatchConfig;
  /** Where alerts go that a destination rejected or that exhausted their attempts, with the reason. */
  deadLetter: (item: QueuedDelivery, reason: string) => Promise<void>;
  now?: () => number;
  /** Jitter source, [0, 1). */
  random?: () => number;
  logger?: Logger;
  /** Cleans reasons of configured secrets and secret patterns (createRedactor); identity when absent. */
  redact?: (text: string) => string;
  /** Told how each attempt at each item ended (the worker counts them for /metrics). */
  onOutcome?: (destination: string, outcome: DeliveryOutcome) => void;
}

/**
 * Routes alerts into the durable queue and runs one independent delivery loop per destination: a slow or dead
 * destination only ever delays its own items.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { destinations, queue, config } = options;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const names = destinations.map((d) => d.name);
  const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
  if (duplicates.length > 0) throw new Error(`destination names must be unique: ${[...new Set(duplicates)].join(', ')}`);
  const problems = unknownDestinationProblems(
    config,
    destinations.map((d) => ({ name: d.name, digest: typeof d.sendDigest === 'function' })),
  );
  if (problems.length > 0) throw new Error(`dispatch configuration: ${problems.join('; ')}`);

  const digest = config.digest;
  const intervalMs = (digest?.intervalSeconds ?? 0) * 1000;
  const isDigest = (destination: string, alert: EcsAlert): boolean =>
    Boolean(digest?.destinations.includes(destination) && digest.severities.includes(alert.keywatch.alert.severity));

  const workers = destinations.map((destination) => {
    const limit = config.rateLimits[destination.name] ?? DEFAULT_RATE_LIMITS.get(destination.kind);
    return new DestinationWorker({
      destination,
      queue,
      bucket: limit ? new TokenBucket(limit.perSecond, limit.burst, now()) : null,
      isDigestItem: (item) => isDigest(item.destination, item.alert),
      digestMaxAlerts: digest?.destinations.includes(destination.name) ? digest.maxAlerts : 0,
      backoff: config.retry,
      maxAttempts: config.retry.maxAttempts,
      batchSize: config.retry.batchSize,
      deadLetter: options.deadLetter,
      now,
      random: options.random ?? Math.random,
      logger,
      redact: options.redact ?? ((text) => text),
      ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
    });
  });

  let running = false;
  const loops: Promise<void>[] = [];
  const wakers = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of wakers) wake();
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      wakers.add(done);
    });

  async function loop(worker: DestinationWorker): Promise<void> {
    while (running) {
      try {
        const { handled, blockedUntil } = await worker.pass();
        if (!running) break;
        if (handled > 0 && blockedUntil === null) continue;
        const wait =
          blockedUntil === null ? config.retry.pollIntervalMs : Math.min(config.retry.pollIntervalMs, blockedUntil - now());
        await sleep(wait);
      } catch (err) {
        logger.error({ destination: worker.name, error: (err as Error)?.message }, 'delivery loop error; retrying');
        await sleep(config.retry.pollIntervalMs);
      }
    }
  }

  return {
    async submit(alerts) {
      const at = now();
      const items: QueuedDelivery[] = alerts.flatMap((alert) =>
        routeAlert(alert, config.routes, names).map((destination) => ({
          // Per version: a later version of an alert (more findings) is a new delivery, not a repeat.
          id: `${alertVersionId(alert)}:${destination}`,
          destination,
          alert,
          attempts: 0,
          notBefore: isDigest(destination, alert) ? nextDigestAt(at, intervalMs) : at,
          lastError: null,
        })),
      );
      await queue.enqueue(items);
      wakeAll();
    },

    start() {
      if (running) return;
      running = true;
      for (const worker of workers) loops.push(loop(worker));
    },

    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const settled = new Set<DestinationWorker>();
      while (settled.size < workers.length && Date.now() < deadline) {
        const active = workers.filter((w) => !settled.has(w));
        const outcomes = await Promise.all(active.map((w) => w.pass()));
        let waitMs = Number.POSITIVE_INFINITY;
        for (const [i, outcome] of outcomes.entries()) {
          const worker = active[i]!;
          if (outcome.handled > 0) {
            waitMs = 0;
            continue;
          }
          // Nothing sent now: the destination is done once nothing it holds can become due before the deadline
          // (retries and Retry-After included; digests due next hour stay queued for the next run).
          const nextDue = await queue.nextDueAt(worker.name);
          if (nextDue === null) {
            settled.add(worker);
            continue;
          }
          const at = Math.max(nextDue, outcome.blockedUntil ?? nextDue);
          const inMs = Math.max(0, at - now());
          if (Date.now() + inMs >= deadline) settled.add(worker);
          else waitMs = Math.min(waitMs, inMs);
        }
        if (waitMs > 0 && Number.isFinite(waitMs)) {
          await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(waitMs, deadline - Date.now()))));
        }
      }
    },

    async stop() {
      running = false;
      wakeAll();
      await Promise.all(loops.splice(0));
    },

    notReady() {
      return workers.filter((w) => !w.ready).map((w) => w.name);
    },

    stats() {
      const stats: DispatchStats = {};
      for (const worker of workers) stats[worker.name] = { ...worker.stats };
      return stats;
    },
  };
}
