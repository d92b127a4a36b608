import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, tempDir } from './cli.ts';

// Issue 10 item 6: under a Node older than 24 the `keywatch` launcher re-runs itself with Node 24; a stop
// signal sent to the launcher must reach that child, and the launcher must exit as the child did.
const OLD_NODE = ['/usr/bin/node', '/usr/local/bin/node'].find(
  (p) => existsSync(p) && Number(spawnSync(p, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout) < 24,
);

describe.skipIf(OLD_NODE === undefined)('the Node 24 launcher', () => {
  it('forwards SIGTERM to the child and exits with its status', async () => {
    const dir = tempDir();
    // A run reading stdin that never ends: it holds the state until it is stopped.
    const launcher = spawn(OLD_NODE!, [BIN, 'run', '-i', '-', '--state', 's.db', '--no-alerts-out', '-q'], { cwd: dir });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      launcher.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const lock = join(dir, 's.db.lock');
    const deadline = Date.now() + 60_000;
    while (!existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const child = JSON.parse(readFileSync(lock, 'utf8')).pid as number;
    expect(child).not.toBe(launcher.pid);
    launcher.kill('SIGTERM');
    expect(await exited).toEqual({ code: 143, signal: null });
    expect(() => process.kill(child, 0)).toThrow();
  }, 120_000);
});
