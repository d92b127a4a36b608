/**
 * The runtime's own small interface over the Kafka client. Roles speak only these types, so moving to
 * another client (e.g. @platformatic/kafka) touches libs/kafka alone.
 */

/** Where the client sends its own diagnostics (a pino logger fits). */
export interface RuntimeLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A value that only reveals itself where it is sent (see @keywatch/config Secret). */
export interface SecretValue {
  reveal(): string;
}

export interface TlsSettings {
  /** PEM contents (not paths): the caller reads the files. */
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized?: boolean;
}

export interface SaslSettings {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: SecretValue;
}

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  /** `true` for TLS with the system CAs; an object for custom CAs or client certificates. */
  tls?: boolean | TlsSettings;
  sasl?: SaslSettings;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** How often a failed request (and a failed batch) is retried before it fails, with exponential backoff. */
  retry?: { retries?: number; initialRetryTimeMs?: number; maxRetryTimeMs?: number };
}

/** A record read from a topic. */
export interface InputRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Broker or producer timestamp, epoch ms as a string (as Kafka gives it). */
  timestamp: string;
}

/** A record to produce. Without `partition` the default (murmur2, Java-compatible) partitioner picks by key. */
export interface OutputRecord {
  topic: string;
  key: string | null;
  value: string | Buffer | null;
  headers?: Record<string, string>;
  partition?: number;
}

export interface InputBatch {
  topic: string;
  partition: number;
  records: InputRecord[];
  /** Offset one past the last record of the partition when fetched (for lag). */
  highWatermark: string;
}

export interface BatchResult {
  outputs: OutputRecord[];
  /** Runs once the outputs and offsets are durable (e.g. make in-memory state changes final). */
  afterCommit?: () => void;
  /** Runs when they were not committed (e.g. forget the batch's state changes). */
  afterAbort?: () => void;
}

/** Called per batch; what it returns is produced and committed with the batch's offsets, or not at all. */
export type BatchHandler = (batch: InputBatch, context: BatchContext) => Promise<BatchResult> | BatchResult;

export interface BatchContext {
  /** Keeps the group membership alive during long work (restores); throws when a rebalance started. */
  heartbeat(): Promise<void>;
}

/** Partitions assigned to this member, by topic. */
export type Assignment = Map<string, number[]>;

export interface BatchLoopOptions {
  groupId: string;
  topics: string[];
  /**
   * `exactly-once`: outputs and consumed offsets in one Kafka transaction per batch (needs transactionalId).
   * `at-least-once`: outputs are produced, then offsets committed; a crash in between re-processes.
   */
  delivery: 'exactly-once' | 'at-least-once';
  /**
   * Prefix of the per-partition transactional ids (`<prefix>-<topic>-<partition>`); the group id by
   * default. Must be the same for every member of the group: the id belongs to the partition.
   */
  transactionalIdPrefix?: string;
  handler: BatchHandler;
  /**
   * After each join. `sameMember` is true when this member stayed in the group since the previous join
   * (same member id, no crash), so partitions it kept were never owned by anyone else in between.
   * `fenced` resolves once the previous owners of the assigned partitions can no longer commit (their
   * open transactions are aborted): read state written by them only after it.
   */
  onAssignment?: (assignment: Assignment, sameMember: boolean, fenced: Promise<void>) => void;
  /** Called after a batch's outputs and offsets are durable, or after it failed (aborted). */
  onBatchEnd?: (batch: InputBatch, outcome: { committed: boolean; durationMs: number; error?: unknown }) => void;
  fromBeginning?: boolean;
  /** Partitions processed at the same time (each batch still in order within its partition). */
  concurrentPartitions?: number;
  /** Caps bytes fetched per partition and per fetch: bounds memory under a burst. */
  maxBytesPerPartition?: number;
  maxBytes?: number;
  /**
   * A fetch returns once the broker holds this many bytes for it (over all its partitions) or after
   * `maxWaitTimeMs`, whichever comes first. Default 64 KiB and 200 ms: a caught-up worker takes fewer, larger
   * batches (each is a transaction) for at most 200 ms more latency per hop.
   */
  minBytes?: number;
  maxWaitTimeMs?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  rebalanceTimeoutMs?: number;
  transactionTimeoutMs?: number;
  /**
   * Consumer restarts after a crash (its retries of a batch or of the group protocol exhausted) in a row,
   * with no batch committed in between, before the loop gives up: `done` then rejects. Default 10.
   */
  maxRestarts?: number;
}

/** What a liveness check needs to know about a loop. */
export interface LoopHealth {
  /** The consumer is running: not stopped, not crashed (restarting or for good). */
  running: boolean;
  /** The last crash, until a batch commits after it. */
  crash: { error: string; at: number; restarting: boolean } | null;
  /** Producing or committing a batch's outputs has failed since this time (epoch ms), with no success since. */
  producerFailing: { error: string; since: number } | null;
  /** When a batch last committed (epoch ms); the loop's start or last join before the first. */
  lastProgressAt: number;
}

export interface BatchLoop {
  /** True once the member has joined the group and received an assignment. */
  joined(): boolean;
  assignment(): Assignment;
  /** Finishes the batch in flight, commits it, leaves the group and disconnects. */
  stop(): Promise<void>;
  /** Resolves when the loop was stopped; rejects when its consumer crashed for good. */
  readonly done: Promise<void>;
  health(): LoopHealth;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor?: number;
  /** Topic-level configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  config?: Record<string, string>;
}

export interface ReplayOptions {
  topic: string;
  /** Start at this offset in every partition (`0` = beginning). */
  fromOffset?: number;
  /** Start at the first record at or after this time (epoch ms). */
  fromTimestamp?: number;
  /** Stop at the end offsets taken when the replay starts (default) or keep following. */
  follow?: boolean;
  /** Give up waiting for the next record after this long (default 30 s). */
  idleTimeoutMs?: number;
}
