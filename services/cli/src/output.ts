import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { KeywatchError } from '@keywatch/errors';
import { STDOUT } from './terminal.ts';

/**
 * An NDJSON output file, or standard output for `-`. Records go to `<path>.partial` (synchronous writes: a record is on disk before the
 * next is processed), opened at the first write, and the file is renamed over `path` when the run completes:
 * an existing file is never truncated before the new content is complete. A run that failed or was killed
 * leaves the previous file in place and its own records in `<path>.partial`.
 */
export class NdjsonFile {
  readonly path: string;
  readonly partial: string;
  #fd: number | null = null;
  count = 0;

  constructor(path: string) {
    this.path = path;
    this.partial = `${path}.partial`;
    if (path === STDOUT) {
      this.#fd = 1;
      return;
    }
    mkdirSync(dirname(path), { recursive: true });
  }

  write(value: unknown): void {
    this.#fd ??= openSync(this.partial, 'w');
    writeSync(this.#fd, `${JSON.stringify(value)}\n`);
    this.count++;
  }

  /**
   * `complete`: the run finished, so the file holds this run's result (empty if nothing was written). Left out
   * after a failure, `path` keeps what it had.
   */
  close(complete = true): void {
    if (this.#fd === 1) return;
    if (this.#fd === null) {
      if (!complete) return;
      this.#fd = openSync(this.partial, 'w');
    }
    fsyncSync(this.#fd);
    closeSync(this.#fd);
    this.#fd = null;
    if (complete) renameSync(this.partial, this.path);
  }
}

/** Writes a whole file through a temporary file and a rename: readers see the old or the new content. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.partial`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export class OutputError extends KeywatchError {
  constructor(message: string) {
    super(message, { expected: true, retriable: false });
  }
}

/** An output flag and its path (`--alerts-out`, `keywatch-alerts.ndjson`). */
export interface OutputPath {
  flag: string;
  path: string;
}

/**
 * Refuses, before anything is read or written, an output that is the same file as an input, the state or
 * another output (also through symlinks and hard links), or that is a directory. `inputs` are expanded paths.
 */
export function checkOutputs(all: OutputPath[], inputs: string[], state: string | undefined): void {
  const outputs = all.filter((o) => o.path !== STDOUT);
  const taken: { what: string; id: string }[] = [];
  for (const input of inputs) if (input !== '-') taken.push({ what: `input ${input}`, id: fileId(input) });
  if (state)
    for (const suffix of ['', '-wal', '-shm', '.lock']) taken.push({ what: `--state ${state}`, id: fileId(`${state}${suffix}`) });
  for (const out of outputs) {
    if (existsSync(out.path) && statSync(out.path).isDirectory())
      throw new OutputError(`${out.flag} ${out.path} is a directory; give a file name`);
    for (const suffix of ['', '.partial']) {
      const id = fileId(`${out.path}${suffix}`);
      const clash = taken.find((t) => t.id === id);
      if (clash) throw new OutputError(`${out.flag} ${out.path} is the same file as ${clash.what}; refusing to overwrite it`);
    }
    taken.push(
      { what: `${out.flag} ${out.path}`, id: fileId(out.path) },
      { what: `${out.flag} ${out.path}`, id: fileId(`${out.path}.partial`) },
    );
  }
}

/** The files a run writes, as they appear to input globs (so a dead-letter file in `logs/*` is not read back). */
export function outputFiles(outputs: OutputPath[], state: string | undefined): Set<string> {
  const paths = outputs.flatMap((o) => [o.path, `${o.path}.partial`]);
  if (state) paths.push(state, `${state}-wal`, `${state}-shm`, `${state}.lock`);
  return new Set(paths.map(fileId));
}

/** Identity of a path: device and inode when it exists (hard links, symlinks), else its resolved absolute path. */
export function fileId(path: string): string {
  try {
    const st = statSync(path);
    return `inode:${st.dev}:${st.ino}`;
  } catch {
    let dir = resolve(dirname(path));
    try {
      dir = realpathSync(dir);
    } catch {}
    return `path:${join(dir, basename(path))}`;
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
