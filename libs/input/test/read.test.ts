import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type ReadItem, type ReadLimits, readItems } from '../src/index.ts';

async function read(input: string | Buffer, limits: Partial<ReadLimits> = {}, chunk = 7): Promise<ReadItem[]> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  // Small chunks: every boundary (inside a UTF-8 character, a line, the gzip magic) gets exercised.
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const out: ReadItem[] = [];
  for await (const item of readItems(chunks(), { ...DEFAULT_LIMITS, ...limits })) out.push(item);
  return out;
}

const values = (items: ReadItem[]) => items.filter((i) => i.error === undefined).map((i) => i.value);
const errors = (items: ReadItem[]) => items.filter((i) => i.error !== undefined);

describe('readItems', () => {
  it('reads NDJSON line by line, with line numbers, CRLF and blank lines', async () => {
    const items = await read('{"a":1}\r\n\n{"b":"é"}\nnot json\n{"c":3}');
    expect(items.map((i) => i.line)).toEqual([1, 3, 4, 5]);
    expect(values(items)).toEqual([{ a: 1 }, { b: 'é' }, { c: 3 }]);
    expect(errors(items)).toMatchObject([{ line: 4, reason: 'invalid_json' }]);
  });

  it('ignores a BOM', async () => {
    expect(values(await read('\ufeff{"a":1}\n\ufeff{"b":2}\n'))).toEqual([{ a: 1 }, { b: 2 }]);
    expect(values(await read('\ufeff{\n "Records": [ {"a":1} ]\n}'))).toEqual([{ a: 1 }]);
  });

  it('splits a pretty-printed {"Records":[…]} document into its records, each with its line', async () => {
    const doc = JSON.stringify({ Records: [{ a: 1 }, { b: [1, { c: '}' }] }, 'x"]'] }, null, 2);
    const items = await read(doc);
    expect(values(items)).toEqual([{ a: 1 }, { b: [1, { c: '}' }] }, 'x"]']);
    expect(items.map((i) => i.line)).toEqual([3, 6, 14]);
  });

  it('splits a one-line {"Records":[…]} document longer than a piece without holding it whole', async () => {
    const records = Array.from({ length: 200 }, (_, i) => ({ eventID: `e${i}`, pad: 'x'.repeat(50) }));
    const items = await read(JSON.stringify({ other: { Records: [1] }, Records: records, after: 1 }), {
      pieceChars: 100,
      maxRecordChars: 1000,
    });
    expect(values(items)).toEqual(records);
  });

  it('reads JSON arrays and jq-style streams of multi-line values', async () => {
    expect(values(await read('[\n  {"a": 1},\n  {"b": 2}\n]\n'))).toEqual([{ a: 1 }, { b: 2 }]);
    expect(values(await read('{\n  "a": 1\n}\n{\n  "b": {"c": [2]}\n}\n{"d":3}\n'))).toEqual([
      { a: 1 },
      { b: { c: [2] } },
      { d: 3 },
    ]);
  });

  it('a stray [ or { line does not swallow the NDJSON after it', async () => {
    const ndjson = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i })).join('\n');
    for (const stray of ['[', '{', '{"Records": [']) {
      const items = await read(`${stray}\n${ndjson}\n`);
      expect(values(items)).toHaveLength(50);
      expect(errors(items).length).toBeLessThanOrEqual(2);
      expect(errors(items)[0]).toMatchObject({ line: 1, reason: 'invalid_json' });
    }
  });

  it('a truncated record is one dead letter and the next line is read', async () => {
    const items = await read('{"a": {"b": 1,\n{"c": 2}\n{"d": "unterminated\n{"e": 5}\n');
    expect(values(items)).toEqual([{ c: 2 }, { e: 5 }]);
    expect(errors(items).map((e) => e.line)).toEqual([1, 3]);
  });

  it('a document not closed at the end of the input is a dead letter after its records', async () => {
    const items = await read('{"Records": [\n{"a":1},\n{"b":2},\n{"c":');
    expect(values(items)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(errors(items)).toMatchObject([{ line: 1, error: expect.stringContaining('not closed') }]);
  });

  it('over-long records are dead letters, and memory stays at a piece', async () => {
    const long = JSON.stringify({ big: 'y'.repeat(5000) });
    const items = await read(`{"a":1}\n${long}\n${'z'.repeat(5000)}\n{"b":2}\n[${long},{"c":3}]\n`, {
      pieceChars: 256,
      maxRecordChars: 1000,
    });
    expect(values(items)).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect(errors(items).map((e) => [e.line, e.reason])).toEqual([
      [2, 'unreadable_input'],
      [3, 'invalid_json'],
      [5, 'unreadable_input'],
    ]);
  });

  it('reads gzip by its magic bytes, whatever the name, streamed', async () => {
    const text = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ i })).join('\n');
    const items = await read(gzipSync(text), {}, 100);
    expect(values(items)).toHaveLength(1000);
    // Concatenated gzip members (cat a.gz b.gz) are read whole.
    expect(values(await read(Buffer.concat([gzipSync('{"a":1}\n'), gzipSync('{"b":2}\n')])))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('a truncated or corrupt gzip is one dead letter naming the offset; the records before it stand', async () => {
    const text = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i, pad: Math.random() })).join('\n');
    const gz = gzipSync(text);
    const truncated = await read(gz.subarray(0, Math.floor(gz.length / 2)), {}, 1024);
    expect(values(truncated).length).toBeGreaterThan(100);
    expect(values(truncated).length).toBeLessThan(5000);
    expect(errors(truncated)).toHaveLength(1);
    expect(errors(truncated)[0]).toMatchObject({
      reason: 'unreadable_input',
      error: expect.stringMatching(/gzip.*compressed byte/),
    });

    const flipped = Buffer.from(gz);
    flipped[Math.floor(gz.length / 3)]! ^= 0xff;
    const corrupt = await read(flipped, {}, 1024);
    expect(errors(corrupt).at(-1)).toMatchObject({ reason: 'unreadable_input' });

    expect(await read(Buffer.from([0x1f, 0x8b]))).toMatchObject([{ reason: 'unreadable_input' }]);
    expect(await read('')).toEqual([]);
  });

  it('a gzip bomb stops at the expansion limit as one dead letter', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    const items = await read(bomb, { gzipSlackBytes: 256 * 1024, gzipMaxRatio: 100 }, 64 * 1024);
    expect(items).toMatchObject([{ reason: 'unreadable_input', error: expect.stringContaining('expands beyond the limit') }]);
  });

  it('never quotes a secret in an error', async () => {
    const key = 'ghp_R8xY2mQ7vLw3nK9pT4sZ6bH1cJ5dF0gA2eU8';
    const items = await read(`broken ${key} line\n{"k": "${key}", oops}\n`);
    expect(errors(items)).toHaveLength(2);
    for (const e of errors(items)) expect(`${e.error} ${e.raw}`).not.toContain(key);
  });
});
