import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { applyEnv, readConfigFile, resolveSecret, secretRefSchema, validateConfig } from '@keywatch/config';
import { detectorOptionsSchema } from '@keywatch/detect';
import type { KafkaConnection } from '@keywatch/kafka';
import { INPUT_FORMATS, type InputFormat } from '@keywatch/sources';
import { z } from 'zod';

const positiveInt = () => z.number().int().positive();

const kafkaSchema = z.strictObject({
  brokers: z.array(z.string().min(1)).min(1),
  clientId: z.string().min(1).default('keywatch'),
  /** Stable name of this worker (pod name): part of the transactional id that fences a crashed predecessor. */
  instanceId: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only')
    .optional(),
  tls: z
    .strictObject({
      enabled: z.boolean().default(true),
      caFile: z.string().min(1).optional(),
      certFile: z.string().min(1).optional(),
      keyFile: z.string().min(1).optional(),
      rejectUnauthorized: z.boolean().default(true),
    })
    .optional(),
  sasl: z
    .strictObject({
      mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
      username: z.string().min(1),
      password: secretRefSchema,
    })
    .optional(),
  sessionTimeoutMs: positiveInt().default(30_000),
  heartbeatIntervalMs: positiveInt().default(3000),
  transactionTimeoutMs: positiveInt().default(60_000),
  /** Bytes fetched per partition and per fetch: what bounds memory under a burst. */
  maxBytesPerPartition: positiveInt().default(1_048_576),
  maxBytes: positiveInt().default(10_485_760),
  /**
   * A fetch is answered once the broker holds this many bytes for the worker, or after `maxWaitTimeMs`: a caught-up
   * worker takes fewer, larger batches (one transaction each) for up to `maxWaitTimeMs` more latency per hop.
   */
  minBytes: positiveInt().default(65_536),
  maxWaitTimeMs: positiveInt().default(200),
  /** Partitions a worker processes at once; each has its own producer and transaction, so they overlap I/O. */
  concurrentPartitions: positiveInt().default(1),
  /** Retries of a failed request or batch (exponential backoff) before it fails; kafkajs defaults: 5, 300 ms, 30 s. */
  retry: z
    .strictObject({
      retries: z.number().int().min(1).optional(),
      initialRetryTimeMs: positiveInt().optional(),
      maxRetryTimeMs: positiveInt().optional(),
    })
    .optional(),
  /**
   * Consumer restarts in a row (each after its retries are exhausted) with no batch committed in between,
   * before the worker gives up, stops cleanly and exits 1 for its supervisor to restart it.
   */
  maxRestarts: z.number().int().min(0).default(10),
});

const topicsSchema = z.strictObject({
  events: z.string().min(1).default('keywatch.events'),
  dlq: z.string().min(1).default('keywatch.dlq'),
  alerts: z.string().min(1).default('keywatch.alerts'),
  state: z.string().min(1).default('keywatch.state'),
  /** Partitions of the topics keywatch creates; events and state must have the same count. */
  partitions: positiveInt().default(6),
  replicationFactor: positiveInt().default(1),
  /** Create missing topics at start-up (otherwise only check them). */
  create: z.boolean().default(true),
});

const groupsSchema = z.strictObject({
  normalize: z.string().min(1).default('keywatch-normalize'),
  detect: z.string().min(1).default('keywatch-detect'),
  dispatch: z.string().min(1).default('keywatch-dispatch'),
  /** The fused role's group (`--role normalize-detect`). */
  normalizeDetect: z.string().min(1).default('keywatch-normalize-detect'),
});

const sourceSchema = z.strictObject({
  topic: z.string().min(1),
  format: z.enum(INPUT_FORMATS as [InputFormat, ...InputFormat[]]),
  /** Gateway preset name (kong, envoy, ...) for `gateway` records. */
  gateway: z.string().min(1).optional(),
});

const detectSchema = z.strictObject({
  learning: z.strictObject({ minEvents: z.number().int().min(0).optional(), minDays: z.number().min(0).optional() }).optional(),
  /** Per-detector options (`detectors.off_hours.minShare`), validated by each detector's own schema (docs/detection.md). */
  detectors: detectorOptionsSchema.optional(),
  /** Key registry file (YAML/JSON). */
  keys: z.string().min(1).optional(),
  /** Allowlist file (YAML/JSON), as for `keywatch run --suppressions` (docs/suppressions.md). */
  suppressions: z.string().min(1).optional(),
  /** Where `keywatch report` output is published: alerts link to their key's page (`event.reference`). */
  reportUrl: z.url({ protocol: /^https?$/ }).optional(),
  restoreTimeoutMs: positiveInt().default(120_000),
  /**
   * Events of one partition are detected in event-time order within this many seconds (docs/kafka.md, "Events
   * out of order"); later ones are learned, not judged. 0 detects in arrival order.
   */
  latenessSeconds: z.number().int().min(0).default(900),
});

/** Operator geo data (libs/enrich/README.md): .mmdb files re-read when replaced, a cloud ranges CSV. */
const geoSchema = z.strictObject({
  /** MaxMind or DB-IP City/Country .mmdb (e.g. kept fresh by geoipupdate on a volume). */
  geoDb: z.string().min(1).optional(),
  /** MaxMind or DB-IP ASN .mmdb. */
  asnDb: z.string().min(1).optional(),
  /** Cloud region ranges CSV from libs/enrich/scripts/update-cloud-ranges.ts (default: the bundled one). */
  cloudRanges: z.string().min(1).optional(),
  /** How often the .mmdb files are checked for a new version. */
  reloadIntervalMs: z.number().int().min(0).default(60_000),
});

const secretsSchema = z.strictObject({
  /**
   * Key of the secret fingerprints (keyed HMAC-SHA-256, docs/secrets.md): `env:NAME` or `file:/path`
   * holding hex or base64 of at least 16 random bytes (`openssl rand -hex 32`). Every worker must get
   * the same key, or the same leaked secret gets different fingerprints on different workers.
   */
  fingerprintKey: secretRefSchema.optional(),
});

export const workerConfigSchema = z.strictObject({
  kafka: kafkaSchema.superRefine((kafka, ctx) => {
    if (kafka.minBytes > kafka.maxBytes) {
      // The broker could never gather minBytes under the cap: every fetch would wait the whole maxWaitTimeMs.
      ctx.addIssue({ code: 'custom', path: ['minBytes'], message: `must be at most kafka.maxBytes (${kafka.maxBytes})` });
    }
    if (kafka.maxWaitTimeMs >= kafka.sessionTimeoutMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxWaitTimeMs'],
        message: `must be below kafka.sessionTimeoutMs (${kafka.sessionTimeoutMs}): the member heartbeats between fetches`,
      });
    }
  }),
  topics: topicsSchema.prefault({}),
  groups: groupsSchema.prefault({}),
  sources: z.array(sourceSchema).default([]),
  detect: detectSchema.prefault({}),
  geo: geoSchema.prefault({}),
  secrets: secretsSchema.prefault({}),
  http: z
    .strictObject({ port: z.number().int().min(0).max(65535).default(9464), host: z.string().default('0.0.0.0') })
    .prefault({}),
  health: z
    .strictObject({
      /** /healthz fails when records wait and no batch has committed for this long (above detect.restoreTimeoutMs). */
      stallTimeoutMs: positiveInt().default(300_000),
    })
    .prefault({}),
  log: z.strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info') }).prefault({}),
  dispatch: z
    .strictObject({
      /** The dispatch worker's durable delivery queue (SQLite, on its volume). */
      queuePath: z.string().min(1).default('/var/lib/keywatch/dispatch-queue.db'),
    })
    .prefault({}),
  /** Delivery sections, validated for the dispatch role by checkDeliveryConfig with the delivery package's own schema. */
  destinations: z.unknown().optional(),
  routes: z.unknown().optional(),
  rateLimits: z.unknown().optional(),
  digest: z.unknown().optional(),
  retry: z.unknown().optional(),
});

export type WorkerConfig = z.output<typeof workerConfigSchema>;

/** File, then `KEYWATCH_*` environment overlay, then validation with errors naming the field. */
export function loadWorkerConfig(path: string, env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseWorkerConfig(applyEnv(readConfigFile(path), env), path);
}

export function parseWorkerConfig(value: unknown, source: string): WorkerConfig {
  return validateConfig(workerConfigSchema, value, source);
}

/** The delivery sections as the dispatcher takes them (`destinations`, `routes`, `rateLimits`, `digest`, `retry`). */
export function deliverySection(config: WorkerConfig): Record<string, unknown> {
  const { destinations, routes, rateLimits, digest, retry } = config;
  return Object.fromEntries(
    Object.entries({ destinations, routes, rateLimits, digest, retry }).filter(([, value]) => value !== undefined),
  );
}

/**
 * Validates the delivery sections with the delivery package's own schema, when the dispatch worker's config
 * loads: a bad destination fails at once naming the field (exit 2), not after connecting to Kafka. The delivery
 * packages are loaded here on demand, so the normalize and detect roles neither load them nor fail on them.
 */
export async function checkDeliveryConfig(config: WorkerConfig, source: string): Promise<void> {
  const { validateDeliveryConfig } = await import('@keywatch/dispatch');
  validateDeliveryConfig(deliverySection(config), source);
}

/** This worker's instance id: configured, else the pod/host name. */
export function instanceIdOf(config: WorkerConfig): string {
  return config.kafka.instanceId ?? hostname();
}

/** Reads TLS files and resolves the SASL password; errors name the file or variable, never a value. */
export function kafkaConnection(config: WorkerConfig, env: NodeJS.ProcessEnv = process.env): KafkaConnection {
  const { kafka } = config;
  const connection: KafkaConnection = {
    brokers: kafka.brokers,
    clientId: kafka.clientId,
    ...(kafka.retry ? { retry: kafka.retry } : {}),
  };
  if (kafka.tls?.enabled) {
    const read = (file: string | undefined, field: string) => {
      if (file === undefined) return undefined;
      try {
        return readFileSync(file, 'utf8');
      } catch (err) {
        throw new Error(`kafka.tls.${field}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
      }
    };
    const ca = read(kafka.tls.caFile, 'caFile');
    const cert = read(kafka.tls.certFile, 'certFile');
    const key = read(kafka.tls.keyFile, 'keyFile');
    connection.tls = {
      rejectUnauthorized: kafka.tls.rejectUnauthorized,
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
    };
  }
  if (kafka.sasl) {
    connection.sasl = {
      mechanism: kafka.sasl.mechanism,
      username: kafka.sasl.username,
      password: resolveSecret(kafka.sasl.password, env),
    };
  }
  return connection;
}

/** The configured fingerprint key as bytes, or undefined (a key random to this process is used). */
export function fingerprintKeyOf(config: WorkerConfig, env: NodeJS.ProcessEnv = process.env): Uint8Array | undefined {
  const ref = config.secrets.fingerprintKey;
  if (ref === undefined) return undefined;
  const text = resolveSecret(ref, env).reveal().trim();
  const bytes = /^(?:[0-9a-fA-F]{2})+$/.test(text)
    ? Buffer.from(text, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(text)
      ? Buffer.from(text, 'base64')
      : Buffer.alloc(0);
  if (bytes.length < 16) {
    throw new Error('secrets.fingerprintKey: must be hex or base64 of at least 16 random bytes (e.g. `openssl rand -hex 32`)');
  }
  return new Uint8Array(bytes);
}
