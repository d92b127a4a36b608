import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sampleAlerts } from '../../../test/fakes/sample-alert.ts';
import { FileDestination, StdoutDestination } from '../src/index.ts';

describe('FileDestination', () => {
  it('appends one NDJSON line per alert across batches', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kw-file-')), 'alerts.ndjson');
    const destination = new FileDestination({ name: 'archive', path });
    await destination.send(sampleAlerts(2, 'f1'));
    const results = await destination.send(sampleAlerts(1, 'f2'));
    expect(results).toEqual([{ status: 'delivered' }]);
    const ids = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).event.id);
    expect(ids).toEqual(['f1-0000', 'f1-0001', 'f2-0000']);
  });

  it('asks for a retry naming the file when it cannot write', async () => {
    const destination = new FileDestination({ name: 'archive', path: '/nonexistent-dir/alerts.ndjson' });
    const [result] = await destination.send(sampleAlerts(1, 'x'));
    expect(result).toEqual({ status: 'retry', reason: 'cannot append to /nonexistent-dir/alerts.ndjson: ENOENT' });
  });
});

describe('StdoutDestination', () => {
  it('writes NDJSON to its stream', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const results = await new StdoutDestination({ name: 'console', stream }).send(sampleAlerts(2, 's'));
    expect(results).toEqual([{ status: 'delivered' }, { status: 'delivered' }]);
    expect(
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).event.id),
    ).toEqual(['s-0000', 's-0001']);
  });
});
