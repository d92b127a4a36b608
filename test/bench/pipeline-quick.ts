/**
 * `node test/bench/pipeline-quick.ts [passes]`: only the ratio's two numbers (JSON.parse and the pipeline with
 * the object store) and the alert count, in well under a minute: for iterating on the hot path and for
 * `node --cpu-prof` (docs/benchmarks.md). Each is the best pass by wall time and by CPU time of this process
 * (user + system): on a machine shared with other jobs the CPU time moves less. `npm run bench` stays the
 * reference.
 */
import { createGeoLookup } from '@keywatch/enrich';
import { MemoryProfileStore } from '@keywatch/state';
import { cloudTrailDataset } from './dataset.ts';
import { runPipeline } from './throughput.ts';

const passes = Number(process.argv[2] ?? 10);
const data = cloudTrailDataset();
const geo = createGeoLookup();
const alerts = runPipeline(data, new MemoryProfileStore(), geo).alerts.length;

/** Best microseconds per line of `pass` by wall time and by CPU time. */
function best(pass: () => unknown): { wall: number; cpu: number } {
  pass();
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < passes; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    pass();
    const t = performance.now() - t0;
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, (t * 1000) / data.lines.length);
    cpu = Math.min(cpu, (c.user + c.system) / data.lines.length);
  }
  return { wall, cpu };
}

const parse = best(() => {
  for (const line of data.lines) JSON.parse(line);
});
const pipeline = best(() => runPipeline(data, new MemoryProfileStore(), geo));
const f = (n: number) => n.toFixed(2);
process.stdout.write(
  `µs/event: JSON.parse ${f(parse.wall)} wall, ${f(parse.cpu)} cpu; pipeline ${f(pipeline.wall)} wall, ${f(pipeline.cpu)} cpu; ` +
    `ratio ${(parse.wall / pipeline.wall).toFixed(3)} wall, ${(parse.cpu / pipeline.cpu).toFixed(3)} cpu; ${alerts} alerts\n`,
);
