import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudTrailStream } from '../integration/kafka-stream.ts';
import { rng } from '../seeded-random.ts';
import { BIN, keywatch, tempDir } from './cli.ts';

// Issue 10, "done when": a run killed with SIGKILL at random points, then run again on the same inputs and
// state, ends with exactly the alert ids of one clean run: checkpoints keep profiles and the input ledger
// consistent, and the rerun resumes after the last checkpoint instead of learning records twice.

const ids = (path: string): string[] =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((l) => {
          try {
            return [JSON.parse(l).event.id as string];
          } catch {
            return []; // the last line of a killed run's .partial file may be cut
          }
        })
    : [];

describe('kill -9 at random points, then a rerun', () => {
  it('yields exactly the alert ids of one clean run', async () => {
    const dir = tempDir();
    const records = cloudTrailStream({ keys: 40, events: 36_000, seed: 7 });
    const files = [0, 1, 2].map((i) => {
      const name = `part-${i}.ndjson`;
      writeFileSync(
        join(dir, name),
        `${records
          .slice(i * 12_000, (i + 1) * 12_000)
          .map((r) => JSON.stringify(r))
          .join('\n')}\n`,
      );
      return name;
    });
    const args = (state: string, out: string) => [
      'run',
      '-i',
      ...files,
      '--state',
      state,
      '-o',
      out,
      '-q',
      '--learn-events',
      '5',
      '--learn-days',
      '0',
    ];

    const started = Date.now();
    const clean = keywatch(args('clean.db', 'clean.ndjson'), { cwd: dir });
    // Kill points fall in the first 8% of a clean run's time after the state is taken: ten kills then land
    // before the work is done on a fast machine and a loaded one alike (a finished run cannot be killed).
    const killWindowMs = Math.max(200, (Date.now() - started) * 0.08);
    expect(clean.status).toBe(0);
    const expected = ids(join(dir, 'clean.ndjson')).sort();
    expect(expected.length).toBeGreaterThan(20);

    const random = rng(10);
    const seen = new Set<string>();
    let kills = 0;
    for (let i = 0; i < 30 && kills < 10; i++) {
      const out = `killed-${i}.ndjson`;
      const child = spawn(process.execPath, [BIN, ...args('k.db', out)], { cwd: dir, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.on('close', resolve));
      // Wait until the run holds the state (started), then kill it somewhere in its work.
      const deadline = Date.now() + 60_000;
      while (!existsSync(join(dir, 'k.db.lock')) && child.exitCode === null && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, Math.floor(random() * killWindowMs)));
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        kills++;
      }
      await exited;
      for (const id of [...ids(join(dir, `${out}.partial`)), ...ids(join(dir, out))]) seen.add(id);
    }
    const final = keywatch(args('k.db', 'final.ndjson'), { cwd: dir });
    expect(final.status).toBe(0);
    for (const id of ids(join(dir, 'final.ndjson'))) seen.add(id);

    expect(kills).toBeGreaterThanOrEqual(10);
    expect([...seen].sort()).toEqual(expected);
  }, 900_000);
});
