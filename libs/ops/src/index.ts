export type { Logger, LoggerOptions } from './logger.ts';
export { createLogger, REDACT_PATHS } from './logger.ts';
export type { Metrics, Stage } from './metrics.ts';
export { createMetrics } from './metrics.ts';
export type { Health, OpsServer, OpsServerOptions, Readiness } from './server.ts';
export { startOpsServer } from './server.ts';
