import { ConfigError, validateConfig } from '@keywatch/config';
import { createDestinations, type Destination, destinationModule, destinationsConfigSchema } from '@keywatch/destinations';
import { z } from 'zod';
import { dispatchConfigSchema, unknownDestinationProblems } from './config.ts';
import { deadLetterFile } from './dead-letter-file.ts';
import { createDispatcher } from './dispatcher.ts';
import { stderrLogger } from './logger.ts';
import { createRedactor, type Redactor, redactingLogger } from './redactor.ts';
import { SqliteDeliveryQueue } from './sqlite-queue.ts';
import type { DeliveryOutcome, DeliveryQueue, Dispatcher, Logger, QueuedDelivery } from './types.ts';

/** The delivery part of the keywatch config: `destinations:` plus the dispatch sections. */
export const deliveryConfigSchema = z
  .object({ destinations: destinationsConfigSchema })
  .extend(dispatchConfigSchema.shape)
  .strict();

export type DeliveryConfig = z.output<typeof deliveryConfigSchema>;

/**
 * The delivery sections validated: each destination by its module's schema, then the names routes, rate limits
 * and digests use. Throws ConfigError naming every bad path (`destinations.oncall.links[0].href: …`,
 * `routes[0].to[0]: unknown destination "x"`); reads no secret.
 */
export function validateDeliveryConfig(section: unknown, source: string): DeliveryConfig {
  const config = validateConfig(deliveryConfigSchema, section, source);
  const problems = unknownDestinationProblems(
    config,
    Object.entries(config.destinations).map(([name, d]) => ({ name, digest: destinationModule(d.kind).capabilities.digest })),
  );
  if (problems.length > 0) throw new ConfigError(source, problems);
  return config;
}

export interface FromConfigOptions {
  /** The SQLite queue file (embedded mode); created if missing, resumed if present. */
  queuePath: string;
  env?: NodeJS.ProcessEnv;
  /** Default: NDJSON next to the queue, `<queuePath>.dead-letters.ndjson`. */
  deadLetter?: (item: QueuedDelivery, reason: string) => Promise<void>;
  logger?: Logger;
  now?: () => number;
  /** Name of the config source, for error messages. */
  source?: string;
  /** Told how each delivery attempt ended (metrics). */
  onOutcome?: (destination: string, outcome: DeliveryOutcome) => void;
}

export interface DeliveryRuntime {
  dispatcher: Dispatcher;
  destinations: Destination[];
  queue: DeliveryQueue;
  /** Knows every configured secret: the host passes its own error and log texts through it too. */
  redactor: Redactor;
  /**
   * Destinations whose start-up work (Elasticsearch template) has not succeeded yet. They never stop a run:
   * the work is retried in the background while their alerts wait in the queue and the others deliver.
   */
  notReady(): string[];
  /** Stops the loops, then closes destinations and the queue. */
  close(): Promise<void>;
}

/**
 * Builds destinations (reading their secrets), the durable queue and the dispatcher from the config section.
 * Throws ConfigError naming the bad path, or SecretError naming the missing variable or file.
 */
export function createDispatcherFromConfig(section: unknown, options: FromConfigOptions): DeliveryRuntime {
  const source = options.source ?? 'delivery configuration';
  const config = validateDeliveryConfig(section, source);
  const destinations = createDestinations(config.destinations, options.env ?? process.env);
  const redactor = createRedactor(destinations.flatMap((d) => d.secretValues?.() ?? []));
  const queue = new SqliteDeliveryQueue(options.queuePath);
  const deadLetter = options.deadLetter ?? deadLetterFile(`${options.queuePath}.dead-letters.ndjson`);
  const dispatcher = createDispatcher({
    destinations,
    queue,
    config,
    deadLetter: (item, reason) => deadLetter(redactor.value(item), redactor.text(reason)),
    logger: redactingLogger(options.logger ?? stderrLogger(), redactor),
    redact: redactor.text,
    ...(options.now ? { now: options.now } : {}),
    ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
  });
  return {
    dispatcher,
    destinations,
    queue,
    redactor,
    notReady: () => dispatcher.notReady(),
    async close() {
      await dispatcher.stop();
      await Promise.all(destinations.map((d) => d.close()));
      await queue.close();
    },
  };
}
