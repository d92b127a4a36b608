import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FILTER = fileURLToPath(new URL('../src/node-warnings.ts', import.meta.url));

/**
 * Runs a Node process that arms a timer with a negative delay from a file under `node_modules/kafkajs/` or from
 * elsewhere (Node warns about the first such timer of a process only), with or without the filter installed
 * first, then emits another warning; returns its stderr.
 */
function stderrOf(install: boolean, from: 'kafkajs' | 'other', extraArgs: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'keywatch-warnings-'));
  const kafkajs = join(dir, 'node_modules', 'kafkajs', 'src');
  mkdirSync(kafkajs, { recursive: true });
  writeFileSync(join(kafkajs, 'queue.cjs'), 'exports.arm = () => setTimeout(() => {}, Date.now() - Date.now() - 5);\n');
  writeFileSync(join(dir, 'other.cjs'), 'exports.arm = () => setTimeout(() => {}, -7);\n');
  const script = [
    install ? `const { quietKafkajsTimerWarning } = await import(${JSON.stringify(FILTER)}); quietKafkajsTimerWarning();` : '',
    `const { createRequire } = await import('node:module');`,
    `const require = createRequire(${JSON.stringify(join(dir, 'x.cjs'))});`,
    `require(${JSON.stringify(from === 'kafkajs' ? './node_modules/kafkajs/src/queue.cjs' : './other.cjs')}).arm();`,
    `process.emitWarning('something else', 'OtherWarning');`,
  ].join('\n');
  const run = spawnSync(process.execPath, [...extraArgs, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(run.status).toBe(0);
  return run.stderr;
}

describe('quietKafkajsTimerWarning', () => {
  it("drops the negative-timer warning of kafkajs' code", () => {
    expect(stderrOf(false, 'kafkajs')).toMatch(/TimeoutNegativeWarning: -5 is a negative number/);
    const quiet = stderrOf(true, 'kafkajs');
    expect(quiet).not.toContain('TimeoutNegativeWarning');
    expect(quiet).toContain('OtherWarning: something else');
  });

  it('keeps the same warning raised by any other code', () => {
    expect(stderrOf(true, 'other')).toMatch(/TimeoutNegativeWarning: -7 is a negative number/);
  });

  it('leaves --no-warnings as it was', () => {
    expect(stderrOf(true, 'other', ['--no-warnings'])).not.toContain('Warning');
  });
});
