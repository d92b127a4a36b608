import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** An append-only NDJSON file. Synchronous writes: a record is in the file before the next is processed. */
export class NdjsonFile {
  readonly path: string;
  readonly #fd: number;
  count = 0;

  constructor(path: string) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
    this.#fd = openSync(path, 'w');
  }

  write(value: unknown): void {
    writeSync(this.#fd, `${JSON.stringify(value)}\n`);
    this.count++;
  }

  close(): void {
    fsyncSync(this.#fd);
    closeSync(this.#fd);
  }
}

/** Progress on stderr for long replays: at most every two seconds, and only after the first two. */
export function progressReporter(enabled: boolean, every = 2000) {
  const started = performance.now();
  let last = started;
  return (records: number, alerts: number) => {
    if (!enabled) return;
    const now = performance.now();
    if (now - last < every) return;
    last = now;
    const rate = Math.round(records / ((now - started) / 1000));
    process.stderr.write(
      `keywatch: ${records.toLocaleString('en-US')} records, ${alerts} alerts (${rate.toLocaleString('en-US')} records/s)\n`,
    );
  };
}
