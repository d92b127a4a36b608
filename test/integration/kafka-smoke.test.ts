// Smoke test of the real broker with kafkajs: topic admin, group consumption, and transactions with sendOffsets.
import { randomUUID } from 'node:crypto';
import { type Consumer, Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';

const kafka = new Kafka({
  clientId: 'keywatch-kafka-smoke',
  brokers: inject('kafkaBrokers').split(','),
  // kafkajs logs retriable coordinator states ("coordinator is loading") as errors; real failures reject instead.
  logLevel: logLevel.NOTHING,
});
const admin = kafka.admin();
const consumers: Consumer[] = [];

afterAll(async () => {
  await Promise.all(consumers.map((consumer) => consumer.disconnect()));
  await admin.disconnect();
});

const uniqueName = (purpose: string) => `keywatch-smoke-${purpose}-${randomUUID()}`;

async function createTopic(purpose: string, numPartitions: number): Promise<string> {
  const topic = uniqueName(purpose);
  await admin.connect();
  const created = await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  expect(created).toBe(true);
  return topic;
}

/** Reads `count` values from the start of `topic` in a new consumer group; fails after `timeoutMs`. */
async function consumeValues(topic: string, groupId: string, count: number, timeoutMs = 30_000): Promise<string[]> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const values: string[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${values.length} of ${count} messages from ${topic}`)), timeoutMs);
    consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value?.toString() ?? '');
        if (values.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await done;
  // Disconnecting commits the group's offsets for everything eachMessage has returned from.
  await consumer.disconnect();
  return values;
}

async function committedOffsets(groupId: string, topic: string): Promise<Record<number, string>> {
  const [topicOffsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Object.fromEntries((topicOffsets?.partitions ?? []).map(({ partition, offset }) => [partition, offset]));
}

describe('Kafka broker', () => {
  it('creates a topic that the cluster then lists', async () => {
    const topic = await createTopic('admin', 3);
    expect(await admin.listTopics()).toContain(topic);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(3);
  });

  it('delivers 100 produced messages to a consumer group, which commits its offsets', async () => {
    const topic = await createTopic('group', 3);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const sent = Array.from({ length: 100 }, (_, i) => `message-${i}`);
    await producer.send({ topic, messages: sent.map((value, i) => ({ key: `key-${i % 7}`, value })) });
    await producer.disconnect();

    const groupId = uniqueName('group');
    const received = await consumeValues(topic, groupId, 100);

    expect([...received].sort()).toEqual([...sent].sort());
    const offsets = await committedOffsets(groupId, topic);
    const committedTotal = Object.values(offsets).reduce((sum, offset) => sum + Number(offset), 0);
    expect(committedTotal).toBe(100);
  });

  it('commits a transaction with its consumer offsets and hides an aborted one', async () => {
    const input = await createTopic('tx-in', 1);
    const output = await createTopic('tx-out', 1);
    const groupId = uniqueName('tx-group');
    const producer = kafka.producer({
      transactionalId: uniqueName('tx'),
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();

    const committed = await producer.transaction();
    await committed.send({ topic: output, messages: [{ value: 'kept-1' }, { value: 'kept-2' }] });
    await committed.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic: input, partitions: [{ partition: 0, offset: '5' }] }],
    });
    await committed.commit();

    const aborted = await producer.transaction();
    await aborted.send({ topic: output, messages: [{ value: 'aborted' }] });
    await aborted.abort();

    // A marker after the aborted batch, so a read_committed consumer has something past it to reach.
    const after = await producer.transaction();
    await after.send({ topic: output, messages: [{ value: 'kept-3' }] });
    await after.commit();
    await producer.disconnect();

    expect(await committedOffsets(groupId, input)).toEqual({ 0: '5' });
    const readCommitted = await consumeValues(output, uniqueName('tx-reader'), 3);
    expect(readCommitted).toEqual(['kept-1', 'kept-2', 'kept-3']);
  });
});
