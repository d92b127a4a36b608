import {
  type BaseOptions,
  compatibilityPartitioner,
  type MessageToProduce,
  Producer,
  type SASLMechanismValue,
} from '@platformatic/kafka';
import { connectionBasics } from './client.ts';
import type { KafkaConnection, OutputRecord } from './types.ts';

/** What our records carry before serialization: string keys and headers, string or byte values, null for none. */
type Key = string | null;
type Value = string | Buffer | null;
export type RecordProducer = Producer<Key, Value, string, string>;
type OutputMessage = MessageToProduce<Key, Value, string, string>;

/**
 * Backs off from 20 ms, doubling, up to 1 s. The client's default is a flat 1 s, and a transaction that starts
 * while the broker still writes the previous one's markers is refused with CONCURRENT_TRANSACTIONS (retriable):
 * at 1 s a retry, transactions ran at a quarter of the rate (ADR 0005).
 */
export const retryDelay = (_client: unknown, _operation: string, attempt: number): number =>
  Math.min(1000, 20 * 2 ** (attempt - 1));

/**
 * A @platformatic/kafka producer for one cluster connection: idempotent, acks=all, one request in flight (the
 * client forces both for idempotent producers), keys partitioned as kafkajs and the Java client do.
 * With `transactionalId`, `transactionTimeoutMs` is the transaction timeout the coordinator enforces (the client
 * sends its `timeout` option as both that and the produce request's broker-side timeout).
 */
export function createProducer(
  connection: KafkaConnection,
  opts: { transactionalId?: string; transactionTimeoutMs?: number } = {},
): RecordProducer {
  return new Producer({
    ...clientOptions(connection),
    idempotent: true,
    acks: -1,
    autocreateTopics: false,
    timeout: opts.transactionTimeoutMs ?? connectionBasics(connection).requestTimeoutMs,
    // InitProducerId without a known producer id and epoch (-1, -1): the client would otherwise send 0/0, which the
    // coordinator refuses (PRODUCER_FENCED) for a transactional id another producer used before (KIP-360).
    producerId: -1n,
    producerEpoch: -1,
    partitioner: javaCompatiblePartitioner(),
    serializers: { key: bytes, value: bytes, headerKey: bytes, headerValue: bytes },
    ...(opts.transactionalId ? { transactionalId: opts.transactionalId } : {}),
  });
}

/** Connection, security and retry options of any @platformatic/kafka client. The SASL password is revealed here. */
export function clientOptions(connection: KafkaConnection): BaseOptions {
  const basics = connectionBasics(connection);
  const options: BaseOptions = {
    clientId: basics.clientId,
    bootstrapBrokers: basics.brokers,
    connectTimeout: basics.connectionTimeoutMs,
    requestTimeout: basics.requestTimeoutMs,
    // An idempotent producer treats retries <= 1 (or none given) as "retry forever"; a failure must surface.
    retries: Math.max(2, connection.retry?.retries ?? 5),
    retryDelay,
  };
  if (connection.tls) options.tls = connection.tls === true ? {} : { ...connection.tls };
  if (connection.sasl) {
    options.sasl = {
      mechanism: connection.sasl.mechanism.toUpperCase() as SASLMechanismValue,
      username: connection.sasl.username,
      password: connection.sasl.password.reveal(),
    };
  }
  return options;
}

/** Outputs as the client's messages, in order (per-key order is what detect relies on). */
export function toMessages(outputs: OutputRecord[]): OutputMessage[] {
  return outputs.map((out) => ({
    topic: out.topic,
    key: out.key,
    value: out.value,
    ...(out.headers ? { headers: out.headers } : {}),
    ...(out.partition !== undefined ? { partition: out.partition } : {}),
  }));
}

const bytes = (data?: string | Buffer | null): Buffer | undefined =>
  data === null || data === undefined ? undefined : Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');

/**
 * murmur2 of the key, masked positive, modulo the partition count (the client applies the modulo): the partition
 * kafkajs' DefaultPartitioner and the Java client pick, so keys stay where earlier versions wrote them (the
 * client's own default keeps the sign bit and would move them). Records without a key go round robin.
 */
export function javaCompatiblePartitioner() {
  let next = 0;
  return (message: OutputMessage, key: Buffer | undefined): number =>
    key === undefined ? next++ & 0x7fffffff : compatibilityPartitioner(message, key);
}
