import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * Field names whose values are secrets wherever they appear (up to three levels deep, plus the known
 * config paths). Secret objects already print as `[secret]`; this list catches plain strings.
 */
const SECRET_FIELDS = ['password', 'secret', 'token', 'apiKey', 'authorization', 'routingKey', 'webhookUrl', 'privateKey'];
export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...SECRET_FIELDS.map((f) => `*.*.${f}`),
  ...SECRET_FIELDS.map((f) => `*.*.*.${f}`),
  'kafka.sasl.password',
  'config.kafka.sasl.password',
  'headers.authorization',
  'headers["x-api-key"]',
];

export interface LoggerOptions {
  level?: string;
  /** Names the process in every line, e.g. `worker-detect`. */
  name: string;
  /** Where lines go (tests pass a stream); stdout by default. */
  destination?: DestinationStream;
  base?: Record<string, unknown>;
}

/** JSON lines (pino); secrets are censored by field name and Secret values never print. */
export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      name: opts.name,
      level: opts.level ?? 'info',
      base: { pid: process.pid, ...opts.base },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err },
    },
    opts.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

export type { Logger } from 'pino';
