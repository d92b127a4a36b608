import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { STDOUT } from './terminal.ts';

/**
 * An NDJSON output file, or standard output for `-`. Synchronous writes: a record is in the file before the next
 * is processed. An existing file is replaced only once there is new content for it (the first write), so a run that
 * fails before its first alert (a destination down, a bad input) leaves the previous run's alerts in place.
 */
export class NdjsonFile {
  readonly path: string;
  #fd: number | null = null;
  count = 0;

  constructor(path: string) {
    this.path = path;
    if (path === STDOUT) {
      this.#fd = 1;
      return;
    }
    mkdirSync(dirname(path), { recursive: true });
  }

  write(value: unknown): void {
    this.#fd ??= openSync(this.path, 'w');
    writeSync(this.#fd, `${JSON.stringify(value)}\n`);
    this.count++;
  }

  /**
   * `complete`: the run finished, so a file it wrote nothing to holds this run's (empty) result. Left out after
   * a failure, an unwritten file keeps what it had.
   */
  close(complete = true): void {
    if (this.#fd === 1) return;
    if (this.#fd === null) {
      if (!complete) return;
      this.#fd = openSync(this.path, 'w');
    }
    fsyncSync(this.#fd);
    closeSync(this.#fd);
    this.#fd = null;
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
