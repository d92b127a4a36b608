// One side of `npm run bench:ab` (test/bench/ab.ts): loads keywatch's libraries from the directory given (the working
// tree's `libs`, or a copy of another revision's), times JSON.parse, normalize and the pipeline on the bench records,
// and prints the best CPU microseconds per event of each (and, under `median`, the median pass) as one JSON line.
import { cpuUsage } from 'node:process';
import { cloudTrailDataset } from './dataset.ts';

const [libs = '', passesArg = '8'] = process.argv.slice(2);
const passes = Number(passesArg);
const data = cloudTrailDataset();
const sources = await import(`${libs}/sources/src/index.ts`);
const pipeline = await import(`${libs}/pipeline/src/index.ts`);
const state = await import(`${libs}/state/src/index.ts`);
const detect = await import(`${libs}/detect/src/index.ts`);
const enrich = await import(`${libs}/enrich/src/index.ts`);
const geo = enrich.createGeoLookup();
const options = detect.withDefaults();
const NORMALIZE = { format: 'auto' } as const;

function run(packed: boolean): number {
  const store = packed ? new state.PackedMemoryProfileStore() : new state.MemoryProfileStore();
  const stage = pipeline.createDetectStage({ geo, registry: data.registry, store, options });
  let alerts = 0;
  for (const line of data.lines)
    for (const event of sources.normalizeLine(line, NORMALIZE).events) alerts += stage(event).alerts.length;
  return alerts;
}

const steps: Record<string, () => unknown> = {
  jsonParse: () => {
    for (const line of data.lines) JSON.parse(line);
  },
  normalize: () => {
    for (const line of data.lines) sources.normalizeLine(line, NORMALIZE);
  },
  objectStore: () => run(false),
  packedStore: () => run(true),
};
const alerts = run(false);
for (const step of Object.values(steps)) step();
const times: Record<string, number[]> = Object.fromEntries(Object.keys(steps).map((name) => [name, []]));
for (let pass = 0; pass < passes; pass++) {
  for (const [name, step] of Object.entries(steps)) {
    const before = cpuUsage();
    step();
    const used = cpuUsage(before);
    times[name]!.push((used.user + used.system) / data.lines.length);
  }
}
const best: Record<string, number> = {};
const median: Record<string, number> = {};
for (const [name, t] of Object.entries(times)) {
  t.sort((a, b) => a - b);
  best[name] = t[0]!;
  median[name] = t.length % 2 === 1 ? t[(t.length - 1) / 2]! : (t[t.length / 2 - 1]! + t[t.length / 2]!) / 2;
}
process.stdout.write(`${JSON.stringify({ ...best, alerts, median })}\n`);
