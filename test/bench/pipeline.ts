/**
 * `npm run bench`: throughput of the in-process pipeline against bare JSON.parse on the same CloudTrail
 * records, geo lookups/s, and memory per key of the profile stores. Prints a table; `--json` prints one
 * JSON object instead. docs/benchmarks.md explains every number.
 */
import { cpus } from 'node:os';
import { encodeProfile } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import { MemoryProfileStore, PackedMemoryProfileStore } from '@keywatch/state';
import { cloudTrailDataset } from './dataset.ts';
import { measureMemory } from './memory.ts';
import { formatReport, type Report } from './report.ts';
import { stageCosts } from './stages.ts';
import { detectStageRate, geoRates, jsonParseRate, pipelineRate, runPipeline } from './throughput.ts';

const json = process.argv.includes('--json');
const log = (line: string) => {
  if (!json) process.stderr.write(`${line}\n`);
};
const started = performance.now();

log('generating the demo fleet (CloudTrail records) …');
const data = cloudTrailDataset();
const geo = createGeoLookup();

// One untimed run per store: warms the geo data and the code, checks that packing changes no alert,
// and yields realistic profiles (every key after 14 days of traffic) for the memory runs.
const plain = runPipeline(data, new MemoryProfileStore(), geo);
const packed = runPipeline(data, new PackedMemoryProfileStore(), geo);
const alertsOf = (run: typeof plain) => JSON.stringify(run.alerts.map((a) => [a.event.id, a.rule.id, a.message]));
const identicalAlerts = alertsOf(plain) === alertsOf(packed);

log('timing JSON.parse and the pipeline …');
const parse = jsonParseRate(data);
const withObjects = pipelineRate(data, () => new MemoryProfileStore(), geo);
const withPacked = pipelineRate(data, () => new PackedMemoryProfileStore(), geo);
const detectStage = detectStageRate(data, geo);
log('timing each stage alone …');
const stages = stageCosts(data, geo);
log('timing geo lookups …');
const geoRate = geoRates(data);

log('measuring memory per key (100k and 1M keys, one process each) …');
const memory = measureMemory(plain.profiles, [
  { store: 'packed', keys: 100_000 },
  { store: 'packed', keys: 1_000_000 },
  { store: 'bytes-map', keys: 100_000 },
  { store: 'objects', keys: 100_000 },
]);

const encoded = plain.profiles.map((p) => encodeProfile(p).length);
const report: Report = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
  dataset: {
    records: data.lines.length,
    events: plain.events,
    deadLetters: plain.deadLetters,
    keys: data.keys,
    days: data.days,
    averageRecordBytes: data.averageLineBytes,
    alerts: plain.alerts.length,
  },
  jsonParsePerSecond: parse,
  pipeline: {
    objectStore: { eventsPerSecond: withObjects, ratio: withObjects / parse },
    packedStore: { eventsPerSecond: withPacked, ratio: withPacked / parse },
    // A pipeline whose normalize cost nothing beyond JSON.parse: one parse and the detect stage per event.
    ceiling: { detectStageEventsPerSecond: detectStage, ratio: detectStage / (parse + detectStage) },
  },
  stageMicros: stages,
  packingChangesNoAlert: identicalAlerts,
  geoLookupsPerSecond: geoRate,
  profileBytes: {
    encodedAverage: average(encoded),
    encodedMax: Math.max(...encoded),
    jsonAverage: average(plain.profiles.map((p) => Buffer.byteLength(JSON.stringify(p)))),
  },
  memory,
  seconds: (performance.now() - started) / 1000,
};

process.stdout.write(json ? `${JSON.stringify(report)}\n` : formatReport(report));
if (!identicalAlerts) process.exitCode = 1;

function average(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
