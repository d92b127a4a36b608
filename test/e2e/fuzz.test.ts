// Issue 10 item 9: a bounded, seeded fuzz test. Mutated records derived from the real corpora (read in place
// from ../shared/corpora), plus corrupt and oversized gzip, far-past and far-future times, stray brackets and
// BOMs, through every source adapter and through one whole `keywatch run`: no crash, no hang, bounded memory,
// and every record accounted for (events + skipped + dead letters = records read).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { normalizeRecord, SOURCE_FORMATS } from '@keywatch/sources';
import { describe, expect, it } from 'vitest';
import { BIN, CORPORA, readNdjson, tempDir } from './cli.ts';
import { corpusRecords, fuzzLines } from './fuzz.ts';

const SEED = 20261205;
const RECORDS = 100_000;
/** The whole run's heap is capped: a record or file that made keywatch hold its input would crash it. */
const HEAP_MB = 256;

const present = existsSync(CORPORA);
if (!present) console.log('fuzz test: skipped, ../shared/corpora (the real-world corpora it mutates) is not next to this clone');

describe.skipIf(!present)('fuzzing keywatch with mutated real records', () => {
  const base = present ? corpusRecords(CORPORA) : [];
  const lines = present ? fuzzLines(base, RECORDS, SEED) : [];

  it('every adapter accounts for every mutated record and never throws', () => {
    expect(base.length).toBeGreaterThan(3000);
    const values: unknown[] = [];
    for (const line of lines) {
      try {
        values.push(JSON.parse(line));
      } catch {} // text mutations: the reader's business, tested through the run below
    }
    expect(values.length).toBeGreaterThan(RECORDS * 0.8);
    // `auto` routes all of them through every adapter in the whole run below; here each adapter is forced
    // on a slice, including records that are not its format.
    for (const format of SOURCE_FORMATS) {
      const slice = values.filter((_, i) => i % 8 === 0);
      const problems: string[] = [];
      let records = 0;
      let events = 0;
      for (const value of slice) {
        const started = performance.now();
        const r = normalizeRecord(value, { format });
        const ms = performance.now() - started;
        const what = () => JSON.stringify(value)?.slice(0, 200);
        if (r.records !== r.events.length + r.skipped.length + r.deadLetters.length)
          problems.push(
            `${r.records} records, ${r.events.length} events + ${r.skipped.length} skipped + ${r.deadLetters.length} dead: ${what()}`,
          );
        // The guard that turns an adapter's bug into a dead letter must never be needed.
        for (const d of r.deadLetters) if (d.message.includes('normalize failed')) problems.push(`${d.message}: ${what()}`);
        if (ms > 2000) problems.push(`${ms.toFixed(0)} ms for one record: ${what()}`);
        records += r.records;
        events += r.events.length;
      }
      expect(problems.slice(0, 5), format).toEqual([]);
      expect(records, format).toBeGreaterThanOrEqual(slice.length);
      if (format === 'cloudtrail') expect(events, format).toBeGreaterThan(slice.length / 10);
    }
  }, 120_000);

  it('one whole run over mutated NDJSON, documents and broken gzip: exit 0, everything accounted for', () => {
    const dir = tempDir();
    const ndjson = (ls: string[]) => `${ls.join('\n')}\n`;
    const half = Math.floor(lines.length / 2);
    writeFileSync(join(dir, 'a.ndjson'), ndjson(lines.slice(0, half)));
    writeFileSync(join(dir, 'b.ndjson.gz'), gzipSync(ndjson(lines.slice(half))));
    // A pretty-printed S3-style document with a BOM; a stray bracket before NDJSON.
    const sample = base.filter((_, i) => i % 5 === 0);
    writeFileSync(join(dir, 'doc.json'), `\ufeff${JSON.stringify({ Records: sample }, null, 2)}`);
    writeFileSync(join(dir, 'stray.ndjson'), `[\n${ndjson(lines.slice(0, 500))}`);
    // Broken compressed files, each one dead letter after what it could give.
    const good = gzipSync(ndjson(lines.slice(0, 2000)));
    writeFileSync(join(dir, 'truncated.gz'), good.subarray(0, Math.floor(good.length * 0.6)));
    const flipped = Buffer.from(good);
    for (let i = 200; i < flipped.length; i += 997) flipped[i] = flipped[i]! ^ 0xff;
    writeFileSync(join(dir, 'bitflip.gz'), flipped);
    writeFileSync(join(dir, 'plain-text.gz'), 'this is not gzip\n');
    writeFileSync(join(dir, 'empty.gz'), '');
    // A gzip bomb (200 members of 1 MiB of zeros: 200 MiB from ~200 KiB) and a 20 MB line.
    const member = gzipSync(Buffer.alloc(1 << 20));
    writeFileSync(join(dir, 'bomb.gz'), Buffer.concat(Array.from({ length: 200 }, () => member)));
    writeFileSync(join(dir, 'huge-line.ndjson'), `{"eventTime":"2026-01-01T00:00:00Z","x":"${'y'.repeat(20_000_000)}"}\n`);

    const started = Date.now();
    const r = spawnSync(
      process.execPath,
      [
        `--max-old-space-size=${HEAP_MB}`,
        BIN,
        'run',
        '-i',
        '*.ndjson',
        '*.gz',
        'doc.json',
        '-q',
        '--no-alerts-out',
        '--dead-letter',
        'dead.ndjson',
        '--stats-json',
        'stats.json',
      ],
      { cwd: dir, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NO_COLOR: '1' } },
    );
    const seconds = (Date.now() - started) / 1000;
    expect(r.signal, `no hang: killed after ${seconds} s`).toBeNull();
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.status, r.stderr.slice(-2000)).toBe(0);

    const stats = JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8'));
    expect(stats.recordsRead).toBeGreaterThan(RECORDS);
    expect(stats.eventsNormalized + stats.skipped.total + stats.deadLettered.total).toBe(stats.recordsRead);
    const dead = readNdjson(join(dir, 'dead.ndjson'));
    expect(dead).toHaveLength(stats.deadLettered.total);
    expect(stats.deadLettered.byReason.processing_error ?? 0).toBe(0);
    const byFile = (file: string) => dead.filter((d) => d.file === file).map((d) => d.reason);
    for (const file of ['truncated.gz', 'bitflip.gz', 'bomb.gz']) expect(byFile(file)).toContain('unreadable_input');
    expect(byFile('huge-line.ndjson')).toEqual(['unreadable_input']);
    expect(byFile('empty.gz')).toEqual([]);
    expect(byFile('doc.json')).toEqual(expect.not.arrayContaining(['invalid_json']));
    expect(stats.eventsNormalized).toBeGreaterThan(RECORDS / 4);
  }, 360_000);
});
