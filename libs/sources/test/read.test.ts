import { describe, expect, it } from 'vitest';
import { type ReadRecord, readRecordStream, readRecords } from '../src/index.ts';
import { FAKE } from './helpers.ts';

async function collect(lines: string[]): Promise<ReadRecord[]> {
  async function* source() {
    yield* lines;
  }
  const out: ReadRecord[] = [];
  for await (const r of readRecordStream(source())) out.push(r);
  return out;
}

describe('readRecords', () => {
  it('reads NDJSON line by line, skipping blank lines, with 1-based line numbers', () => {
    const records = [...readRecords('{"a":1}\n\n  \n{"b":2}\r\n[1,2]\n')];
    expect(records.map((r) => [r.line, r.value])).toEqual([
      [1, { a: 1 }],
      [4, { b: 2 }],
      [5, [1, 2]],
    ]);
  });

  it('ignores a leading BOM, before NDJSON and before a pretty-printed document', () => {
    expect([...readRecords('\ufeff{"a":1}\n{"b":2}\n')].map((r) => r.value)).toEqual([{ a: 1 }, { b: 2 }]);
    const doc = `\ufeff${JSON.stringify({ Records: [{ eventName: 'A' }] }, null, 2)}`;
    expect([...readRecords(doc)].map((r) => r.value)).toEqual([{ Records: [{ eventName: 'A' }] }]);
  });

  it('reports a bad line without losing the others, redacted and cut short', () => {
    const bad = `{"token": "${FAKE.githubPat}", ${'x'.repeat(500)}`;
    const records = [...readRecords(`{"a":1}\n${bad}\n{"b":2}`)];
    expect(records.map((r) => r.line)).toEqual([1, 2, 3]);
    const error = records[1] as ReadRecord;
    expect(error.error).toMatch(/^invalid JSON: /);
    expect(error.value).toBeUndefined();
    expect(error.raw.length).toBeLessThanOrEqual(201);
    expect(JSON.stringify(error)).not.toContain(FAKE.githubPat);
    expect(JSON.stringify(error)).not.toContain('R8x2Kq9Z');
  });

  it('does not quote the input in parser messages', () => {
    const [record] = [...readRecords(`${FAKE.githubPat} is not json`)];
    expect(record?.error).toBe("invalid JSON: Unexpected token 'g' (not valid JSON)");
  });

  it('reads a pretty-printed trail file as one record', () => {
    const text = JSON.stringify({ Records: [{ eventName: 'A' }, { eventName: 'B' }] }, null, 2);
    const records = [...readRecords(`\n${text}\n`)];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ line: 2, value: { Records: [{ eventName: 'A' }, { eventName: 'B' }] } });
  });

  it('reads a pretty-printed JSON array as one record per element', () => {
    const text = JSON.stringify([{ action: 'a' }, { action: 'b' }], null, 2);
    expect([...readRecords(text)].map((r) => r.value)).toEqual([{ action: 'a' }, { action: 'b' }]);
    expect([...readRecords(text, { splitArrays: false })].map((r) => r.value)).toEqual([[{ action: 'a' }, { action: 'b' }]]);
  });

  it('reports a broken pretty-printed document once', () => {
    const text = JSON.stringify({ Records: [{ eventName: 'A' }] }, null, 2).slice(0, -3);
    const records = [...readRecords(text)];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ line: 1, error: expect.stringMatching(/^invalid JSON/) });
  });

  it('yields nothing for empty input', () => {
    expect([...readRecords('')]).toEqual([]);
    expect([...readRecords('\n  \n')]).toEqual([]);
  });
});

describe('readRecordStream', () => {
  it('reads NDJSON lines as they come', async () => {
    const records = await collect(['{"a":1}\n', '', 'nope\r\n', '{"b":2}']);
    expect(records.map((r) => [r.line, r.value ?? r.error])).toEqual([
      [1, { a: 1 }],
      [3, expect.stringMatching(/^invalid JSON/)],
      [4, { b: 2 }],
    ]);
  });

  it('buffers a multi-line document', async () => {
    const lines = JSON.stringify({ Records: [{ eventName: 'A' }] }, null, 2).split('\n');
    const records = await collect(['', ...lines]);
    expect(records).toEqual([{ line: 2, value: { Records: [{ eventName: 'A' }] }, raw: lines.join('\n') }]);
  });
});
