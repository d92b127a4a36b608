import { Kafka, type KafkaConfig, type LogEntry, logLevel, type SASLOptions } from 'kafkajs';
import { quietKafkajsTimerWarning } from './node-warnings.ts';
import type { KafkaConnection, RuntimeLogger } from './types.ts';

/**
 * The settings both clients (kafkajs consumes, @platformatic/kafka produces: ADR 0006) take from one connection,
 * checked and with their defaults, so the two cannot drift apart.
 */
export function connectionBasics(connection: KafkaConnection) {
  if (connection.brokers.length === 0) throw new Error('kafka.brokers: at least one broker is required');
  return {
    clientId: connection.clientId,
    brokers: connection.brokers,
    connectionTimeoutMs: connection.connectionTimeoutMs ?? 3000,
    requestTimeoutMs: connection.requestTimeoutMs ?? 30_000,
  };
}

/** Builds the kafkajs client. The SASL password is revealed here only, inside the client's own config. */
export function createClient(connection: KafkaConnection, logger?: RuntimeLogger): Kafka {
  quietKafkajsTimerWarning();
  const basics = connectionBasics(connection);
  const config: KafkaConfig = {
    clientId: basics.clientId,
    brokers: basics.brokers,
    connectionTimeout: basics.connectionTimeoutMs,
    requestTimeout: basics.requestTimeoutMs,
    ...(connection.retry
      ? {
          retry: {
            retries: connection.retry.retries,
            initialRetryTime: connection.retry.initialRetryTimeMs,
            maxRetryTime: connection.retry.maxRetryTimeMs,
          },
        }
      : {}),
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    ...(logger ? { logCreator: () => (entry: LogEntry) => forward(logger, entry) } : {}),
  };
  if (connection.tls) config.ssl = connection.tls === true ? true : { ...connection.tls };
  if (connection.sasl) config.sasl = saslOptions(connection.sasl);
  return new Kafka(config);
}

function saslOptions(sasl: NonNullable<KafkaConnection['sasl']>): SASLOptions {
  const password = sasl.password.reveal();
  return { mechanism: sasl.mechanism, username: sasl.username, password } as SASLOptions;
}

/** kafkajs logs retriable coordinator states as errors; real failures reject their promise, so warn is enough. */
function forward(logger: RuntimeLogger, entry: LogEntry): void {
  const { message, ...rest } = entry.log;
  const fields = { client: 'kafkajs', namespace: entry.namespace, ...pickSafe(rest) };
  if (entry.level === logLevel.ERROR || entry.level === logLevel.WARN) logger.warn(fields, message);
  else logger.debug(fields, message);
}

/** kafkajs log extras can carry request payloads; keep only scalar diagnostics. */
function pickSafe(extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of ['broker', 'groupId', 'memberId', 'topic', 'partition', 'error', 'retryCount', 'retryTime']) {
    const value = extra[name];
    if (value !== undefined && (typeof value !== 'object' || value === null)) out[name] = value;
  }
  return out;
}
