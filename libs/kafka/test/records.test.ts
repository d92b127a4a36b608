import { describe, expect, it } from 'vitest';
import { nextOffset, toTopicMessages } from '../src/index.ts';
import { toInputRecord } from '../src/records.ts';

describe('records', () => {
  it('groups outputs per topic, keeping their order and explicit partitions', () => {
    const grouped = toTopicMessages([
      { topic: 'alerts', key: 'k1', value: 'a1' },
      { topic: 'state', key: 'k1', value: 's1', partition: 4 },
      { topic: 'alerts', key: 'k2', value: 'a2', headers: { 'rule.id': 'new_ip' } },
    ]);
    expect(grouped).toEqual([
      {
        topic: 'alerts',
        messages: [
          { key: 'k1', value: 'a1' },
          { key: 'k2', value: 'a2', headers: { 'rule.id': 'new_ip' } },
        ],
      },
      { topic: 'state', messages: [{ key: 'k1', value: 's1', partition: 4 }] },
    ]);
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
