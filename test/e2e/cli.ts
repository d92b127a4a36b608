import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'services', 'cli', 'bin', 'keywatch.mjs');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `keywatch` command in a child process, as a user would. */
export function keywatch(args: string[], options: { input?: string; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? tempDir(),
    input: options.input,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kw-e2e-'));
}
