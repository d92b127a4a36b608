/**
 * `npm run bench:ab -- REV [--pairs 3] [--passes 8]`: the embedded pipeline's CPU time per event for the code at a git
 * revision (`main`, a commit) against the working tree, for a performance change on a machine shared with other jobs
 * (docs/benchmarks.md). Each side runs in its own process (test/bench/ab-child.ts), the two alternating `--pairs`
 * times; each reports its best pass of `--passes` by CPU time, and the best of its runs is shown. Separate processes
 * keep the two sides from sharing caches and JIT feedback; alternation spreads other jobs' load over both sides.
 * The revision's `libs/` is copied into `.bench-ab/<commit>/` (git-ignored) with its imports of `@keywatch/*`
 * pointing into the copy; other packages come from the working tree's node_modules.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { pairs: { type: 'string', default: '3' }, passes: { type: 'string', default: '8' } },
});
const rev = positionals[0];
if (rev === undefined) {
  process.stderr.write('usage: npm run bench:ab -- REV [--pairs 3] [--passes 8]\n');
  process.exit(2);
}
const root = fileURLToPath(new URL('../..', import.meta.url));
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
const commit = git('rev-parse', '--verify', `${rev}^{commit}`);
const copy = join(root, '.bench-ab', commit);

if (!existsSync(join(copy, 'libs'))) {
  mkdirSync(copy, { recursive: true });
  execFileSync('bash', ['-c', `git archive "${commit}" libs | tar -x -C "${copy}"`], { cwd: root });
  for (const file of readdirSync(join(copy, 'libs'), { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const path = join(copy, 'libs', file);
    const text = readFileSync(path, 'utf8');
    const pointed = text.replace(
      /from '@keywatch\/([a-z-]+)'/g,
      (_, lib: string) => `from '${join(copy, 'libs', lib, 'src/index.ts')}'`,
    );
    if (pointed !== text) writeFileSync(path, pointed);
  }
}

type Step = 'jsonParse' | 'normalize' | 'objectStore' | 'packedStore';
type Result = Record<Step | 'alerts', number> & { median: Record<Step, number> };
const sides = [
  { name: `${rev} (${commit.slice(0, 7)})`, libs: join(copy, 'libs'), runs: [] as Result[] },
  { name: 'working tree', libs: join(root, 'libs'), runs: [] as Result[] },
];
const child = fileURLToPath(new URL('./ab-child.ts', import.meta.url));
for (let pair = 0; pair < Number(values.pairs); pair++) {
  for (const side of pair % 2 === 0 ? sides : [...sides].reverse()) {
    const out = execFileSync(process.execPath, [child, side.libs, values.passes], { encoding: 'utf8' });
    side.runs.push(JSON.parse(out) as Result);
    process.stderr.write(`${side.name}: ${out}`);
  }
}

const f = (n: number) => n.toFixed(2);
process.stdout.write(
  `CPU µs per event, best of ${values.pairs} runs of ${values.passes} passes; load average ${loadavg()[0]!.toFixed(2)}\n`,
);
for (const side of sides) {
  const best = (key: Step | 'alerts') => Math.min(...side.runs.map((r) => r[key]));
  const parse = best('jsonParse');
  process.stdout.write(
    `${side.name.padEnd(24)} JSON.parse ${f(parse)}  parse+normalize ${f(best('normalize'))}  object store ${f(best('objectStore'))} ` +
      `(ratio ${(parse / best('objectStore')).toFixed(3)})  packed store ${f(best('packedStore'))} (ratio ${(parse / best('packedStore')).toFixed(3)})  ` +
      `alerts ${side.runs[0]!.alerts}\n`,
  );
}
// Pair by pair, best (median) of each side: a change that pays is better in every pair, by both.
for (const step of ['normalize', 'objectStore', 'packedStore'] as const) {
  const pairs = sides[0]!.runs.map((a, i) => {
    const b = sides[1]!.runs[i]!;
    return `${f(a[step])} (${f(a.median[step])}) → ${f(b[step])} (${f(b.median[step])})`;
  });
  process.stdout.write(`${step.padEnd(12)} by pair, best (median): ${pairs.join('  |  ')}\n`);
}
