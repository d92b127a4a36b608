export type { BackoffPolicy } from './backoff.ts';
export { retryDelayMs } from './backoff.ts';
export type { DigestConfig, DispatchConfig, DispatchConfigInput, RateLimit, Route } from './config.ts';
export { dispatchConfigSchema } from './config.ts';
export { deadLetterFile } from './dead-letter-file.ts';
export { nextDigestAt } from './digest.ts';
export type { DispatcherOptions } from './dispatcher.ts';
export { createDispatcher } from './dispatcher.ts';
export type { DeliveryConfig, DeliveryRuntime, FromConfigOptions } from './from-config.ts';
export { createDispatcherFromConfig, deliveryConfigSchema, validateDeliveryConfig } from './from-config.ts';
export { silentLogger, stderrLogger } from './logger.ts';
export type { Redactor } from './redactor.ts';
export { CONFIGURED_SECRET, createRedactor, redactingLogger } from './redactor.ts';
export { routeAlert, routeMatches } from './routing.ts';
export type { SqliteQueueOptions } from './sqlite-queue.ts';
export { SqliteDeliveryQueue } from './sqlite-queue.ts';
export { TokenBucket } from './token-bucket.ts';
export type {
  Backlog,
  DeliveryOutcome,
  DeliveryQueue,
  DestinationStats,
  Dispatcher,
  DispatchStats,
  Logger,
  QueuedDelivery,
} from './types.ts';
