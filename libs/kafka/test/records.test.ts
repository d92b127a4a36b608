import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { nextOffset } from '../src/index.ts';
import { javaCompatiblePartitioner, retryDelay, toMessages } from '../src/producer.ts';
import { toInputRecord } from '../src/records.ts';

describe('records', () => {
  it('turns outputs into the producer messages, keeping their order and explicit partitions', () => {
    const messages = toMessages([
      { topic: 'alerts', key: 'k1', value: 'a1' },
      { topic: 'state', key: 'k1', value: null, partition: 4 },
      { topic: 'alerts', key: 'k2', value: 'a2', headers: { 'rule.id': 'new_ip' } },
    ]);
    expect(messages).toEqual([
      { topic: 'alerts', key: 'k1', value: 'a1' },
      { topic: 'state', key: 'k1', value: null, partition: 4 },
      { topic: 'alerts', key: 'k2', value: 'a2', headers: { 'rule.id': 'new_ip' } },
    ]);
  });

  it("partitions keys as kafkajs' default partitioner (and the Java client) does", () => {
    const partitionMetadata = Array.from({ length: 6 }, (_, partitionId) => ({
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
      partitionErrorCode: 0,
    }));
    const kafkajs = Partitioners.DefaultPartitioner();
    const ours = javaCompatiblePartitioner();
    const keys = Array.from({ length: 2000 }, (_, i) => `AKIA${(i * 7919).toString(36).toUpperCase()}-${i}`);
    // The client applies the modulo by the partition count after the partitioner.
    const picked = keys.map((key) => ours({ topic: 't', key, value: null }, Buffer.from(key)) % 6);
    expect(picked).toEqual(keys.map((key) => kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } })));
    // Some murmur2 hashes have the sign bit set: those are the ones a plain unsigned hash would move.
    expect(new Set(picked).size).toBe(6);
  });

  it('spreads records without a key round robin', () => {
    const ours = javaCompatiblePartitioner();
    const picked = Array.from({ length: 6 }, () => ours({ topic: 't', key: null, value: 'v' }, undefined) % 3);
    expect(picked).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('backs off from 20 ms, doubling, up to 1 s', () => {
    expect([1, 2, 3, 6, 7, 20].map((attempt) => retryDelay(null, 'commit', attempt))).toEqual([20, 40, 80, 640, 1000, 1000]);
  });

  it('commits the offset after the last record, beyond 2^53', () => {
    expect(nextOffset('41')).toBe('42');
    expect(nextOffset('9007199254740993')).toBe('9007199254740994');
  });

  it('reads keys and headers as strings', () => {
    const record = toInputRecord('t', 1, {
      key: Buffer.from('AKIA1'),
      value: Buffer.from('{}'),
      offset: '7',
      timestamp: '1700000000000',
      attributes: 0,
      headers: { reason: Buffer.from('invalid_json'), multi: [Buffer.from('a'), Buffer.from('b')] },
    });
    expect(record).toMatchObject({
      topic: 't',
      partition: 1,
      offset: '7',
      key: 'AKIA1',
      headers: { reason: 'invalid_json', multi: 'a' },
    });
  });
});
