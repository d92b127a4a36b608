// kafkajs and @platformatic/kafka side by side on the same broker and the same records (issue 13 item 3):
// produce, consume-only and consume-transform-produce in transactions, each client in turn, with wall-clock
// rate and this process's CPU time per record. Used by test/bench/kafka.ts (section `clients` of its output).
import { randomUUID } from 'node:crypto';
import {
  FetchIsolationLevels,
  type Message,
  Admin as PlatformaticAdmin,
  Consumer as PlatformaticConsumer,
  Producer as PlatformaticProducer,
  stringSerializers,
} from '@platformatic/kafka';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

export interface ClientRate {
  perSecond: number;
  cpuMicrosPerRecord: number;
}

export interface ClientNumbers {
  produce: ClientRate;
  consumeOnly: ClientRate;
  /** Read a topic, write each record to another, offsets and outputs in one transaction per batch. */
  transactions: ClientRate & { transactions: number };
}

export interface ClientRecord {
  key: string;
  value: string;
}

const PARTITIONS = 6;
const PASSES = 2;
/** Records per produce request and per transaction: about what a role's 1 MiB fetch holds. */
const CHUNK = 1000;

export async function compareClients(
  brokers: string[],
  records: ClientRecord[],
  log: (msg: string) => void,
): Promise<{ kafkajs: ClientNumbers; platformatic: ClientNumbers }> {
  const kafkajs = await measure('kafkajs', KAFKAJS, brokers, records, log);
  const platformatic = await measure('platformatic', PLATFORMATIC, brokers, records, log);
  return { kafkajs, platformatic };
}

interface ClientUnderTest {
  createTopics(brokers: string[], topics: string[]): Promise<void>;
  produce(brokers: string[], topic: string, records: ClientRecord[]): Promise<void>;
  consume(brokers: string[], topic: string, count: number): Promise<void>;
  /** Returns the number of transactions committed. */
  transform(brokers: string[], from: string, to: string, count: number): Promise<number>;
}

async function measure(
  name: string,
  client: ClientUnderTest,
  brokers: string[],
  records: ClientRecord[],
  log: (msg: string) => void,
): Promise<ClientNumbers> {
  const n = records.length;
  let best: ClientNumbers | null = null;
  // The best of PASSES (fresh topics each): the first pass also warms the client's code up.
  for (let pass = 0; pass < PASSES; pass++) {
    const id = randomUUID().slice(0, 8);
    const input = `bench-clients-${name}-in-${id}`;
    const output = `bench-clients-${name}-out-${id}`;
    await client.createTopics(brokers, [input, output]);
    const produce = await timed(n, () => client.produce(brokers, input, records));
    const consumeOnly = await timed(n, () => client.consume(brokers, input, n));
    let count = 0;
    const transform = await timed(n, async () => {
      count = await client.transform(brokers, input, output, n);
    });
    const numbers = { produce, consumeOnly, transactions: { ...transform, transactions: count } };
    best =
      best === null
        ? numbers
        : {
            produce: better(best.produce, produce),
            consumeOnly: better(best.consumeOnly, consumeOnly),
            transactions: better(best.transactions, numbers.transactions),
          };
  }
  const { produce, consumeOnly, transactions: transform } = best!;
  const transactions = transform.transactions;
  log(
    `${name}: produce ${produce.perSecond}/s (${produce.cpuMicrosPerRecord} µs CPU), consume-only ${consumeOnly.perSecond}/s ` +
      `(${consumeOnly.cpuMicrosPerRecord} µs), transactions ${transform.perSecond}/s (${transform.cpuMicrosPerRecord} µs, ${transactions} transactions)`,
  );
  return best!;
}

/** The pass with the higher rate (its CPU time with it: the two come from the same pass). */
function better<T extends ClientRate>(a: T, b: T): T {
  return b.perSecond > a.perSecond ? b : a;
}

async function timed(count: number, work: () => Promise<void>): Promise<ClientRate> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    perSecond: Math.round(count / seconds),
    cpuMicrosPerRecord: Math.round(((used.user + used.system) / count) * 10) / 10,
  };
}

const KAFKAJS: ClientUnderTest = {
  async createTopics(brokers, topics) {
    const admin = kafkajsClient(brokers).admin();
    await admin.connect();
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true });
    await admin.disconnect();
  },
  async produce(brokers, topic, records) {
    const producer = kafkajsClient(brokers).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    for (let i = 0; i < records.length; i += CHUNK) {
      await producer.send({ topic, acks: -1, messages: records.slice(i, i + CHUNK) });
    }
    await producer.disconnect();
  },
  async consume(brokers, topic, count) {
    const consumer = kafkajsClient(brokers).consumer({
      groupId: `bench-clients-${randomUUID()}`,
      maxBytesPerPartition: 1_048_576,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let seen = 0;
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachBatch: async ({ batch }) => {
          seen += batch.messages.length;
          if (seen >= count) resolve();
        },
      });
    });
    await consumer.disconnect();
  },
  async transform(brokers, from, to, count) {
    const kafka = kafkajsClient(brokers);
    const groupId = `bench-clients-${randomUUID()}`;
    const producer = kafka.producer({
      transactionalId: `${groupId}-tx`,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const consumer = kafka.consumer({ groupId, readUncommitted: false, maxBytesPerPartition: 1_048_576 });
    await consumer.connect();
    await consumer.subscribe({ topics: [from], fromBeginning: true });
    let seen = 0;
    let transactions = 0;
    await new Promise<void>((resolve, reject) => {
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          try {
            const tx = await producer.transaction();
            await tx.send({
              topic: to,
              messages: batch.messages.map((m) => ({ key: m.key, value: m.value })),
            });
            const offset = (BigInt(batch.lastOffset()) + 1n).toString();
            await tx.sendOffsets({
              consumerGroupId: groupId,
              topics: [{ topic: from, partitions: [{ partition: batch.partition, offset }] }],
            });
            await tx.commit();
            transactions++;
            seen += batch.messages.length;
            if (seen >= count) resolve();
          } catch (error) {
            reject(error);
          }
        },
      });
    });
    await consumer.disconnect();
    await producer.disconnect();
    return transactions;
  },
};

function kafkajsClient(brokers: string[]): Kafka {
  return new Kafka({ brokers, clientId: 'keywatch-bench-clients', logLevel: logLevel.NOTHING });
}

/**
 * The default (a flat 1 s) makes every CONCURRENT_TRANSACTIONS answer (the next transaction starting while the
 * broker still writes the previous one's markers) cost a second; back off from 20 ms instead.
 */
const fastRetry = (_client: unknown, _operation: string, attempt: number) => Math.min(1000, 20 * 2 ** (attempt - 1));

const PLATFORMATIC: ClientUnderTest = {
  async createTopics(brokers, topics) {
    const admin = new PlatformaticAdmin({ clientId: 'keywatch-bench-clients', bootstrapBrokers: brokers });
    await admin.createTopics({ topics, partitions: PARTITIONS, replicas: 1 });
    await admin.close();
  },
  async produce(brokers, topic, records) {
    const producer = new PlatformaticProducer({
      clientId: 'keywatch-bench-clients',
      bootstrapBrokers: brokers,
      serializers: stringSerializers,
      idempotent: true,
      acks: -1,
    });
    for (let i = 0; i < records.length; i += CHUNK) {
      await producer.send({ messages: records.slice(i, i + CHUNK).map((r) => ({ topic, key: r.key, value: r.value })) });
    }
    await producer.close();
  },
  async consume(brokers, topic, count) {
    const consumer = new PlatformaticConsumer({
      clientId: 'keywatch-bench-clients',
      bootstrapBrokers: brokers,
      groupId: `bench-clients-${randomUUID()}`,
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      maxBytesPerPartition: 1_048_576,
    });
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
    let seen = 0;
    for await (const _ of stream) {
      if (++seen >= count) break;
    }
    await stream.close();
    await consumer.close(true);
  },
  async transform(brokers, from, to, count) {
    const groupId = `bench-clients-${randomUUID()}`;
    const producer = new PlatformaticProducer({
      clientId: 'keywatch-bench-clients',
      bootstrapBrokers: brokers,
      transactionalId: `${groupId}-tx`,
      idempotent: true,
      acks: -1,
      retryDelay: fastRetry,
    });
    const consumer = new PlatformaticConsumer({
      clientId: 'keywatch-bench-clients',
      bootstrapBrokers: brokers,
      groupId,
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      maxBytesPerPartition: 1_048_576,
    });
    const stream = await consumer.consume({ topics: [from], mode: 'earliest', autocommit: false });
    let seen = 0;
    let transactions = 0;
    let batch: Message[] = [];
    const flush = async () => {
      const tx = await producer.beginTransaction();
      await tx.send({ messages: batch.map((m) => ({ topic: to, key: m.key, value: m.value })) });
      await tx.addConsumer(consumer);
      // One offset commit per partition: its last record in the batch.
      const last = new Map<number, Message>();
      for (const m of batch) last.set(m.partition, m);
      for (const m of last.values()) await tx.addOffset(m);
      await tx.commit();
      transactions++;
      seen += batch.length;
      batch = [];
    };
    for await (const message of stream) {
      batch.push(message);
      if (batch.length >= CHUNK || stream.readableLength === 0) await flush();
      if (seen >= count) break;
    }
    await stream.close();
    await consumer.close(true);
    await producer.close();
    return transactions;
  },
};

if (import.meta.main) {
  // Alone: KAFKA_BROKERS=127.0.0.1:9092 node test/bench/kafka-clients.ts [records]
  const { cloudTrailStream } = await import('../integration/kafka-stream.ts');
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const records = cloudTrailStream({ keys: 200, events: Number(process.argv[2] ?? 30000), seed: 1 }).map((r) => ({
    key: (r.userIdentity as { accessKeyId: string }).accessKeyId,
    value: JSON.stringify(r),
  }));
  process.stdout.write(`${JSON.stringify(await compareClients(brokers, records, (m) => process.stderr.write(`${m}\n`)))}\n`);
  process.exit(0);
}
