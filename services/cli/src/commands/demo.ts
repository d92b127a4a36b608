import { closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type EcsAlert, renderAlert } from '@keywatch/alerts';
import {
  type AlertLike,
  DEFAULT_DEMO,
  type DemoDataset,
  evaluate,
  formatEvaluation,
  formatSeeds,
  generateDemo,
  type SeedResult,
  seedResult,
  summarizeSeeds,
} from '@keywatch/demo';
import { withDefaults } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import { createEmbeddedPipeline, type RunStats } from '@keywatch/pipeline';
import { parseRegistry } from '@keywatch/registry';
import { MemoryProfileStore } from '@keywatch/state';
import { checkOutputs, NdjsonFile, OutputError } from '../output.ts';
import { formatStats } from '../summary.ts';
import { STDOUT, useColor } from '../terminal.ts';

export interface DemoCommandOptions {
  seed: number;
  keys: number;
  days: number;
  alertsOut: string | false;
  outDir?: string;
  quiet: boolean;
}

/**
 * `keywatch demo`: a synthetic multi-day dataset with labelled incidents, through the same pipeline as
 * `run`, then precision and recall against the labels.
 */
export async function demoCommand(opts: DemoCommandOptions): Promise<number> {
  // Refused before generating anything: a directory as the alerts file, a file as the dataset folder.
  if (opts.alertsOut !== false) checkOutputs([{ flag: '--alerts-out', path: opts.alertsOut }], [], undefined);
  if (opts.outDir && existsSync(opts.outDir) && !statSync(opts.outDir).isDirectory())
    throw new OutputError(`--out-dir ${opts.outDir} is a file; give a folder name`);
  const t0 = performance.now();
  const dataset = generateDemo({ seed: opts.seed, keys: opts.keys, days: opts.days });
  if (opts.outDir) writeDataset(opts.outDir, dataset.records, JSON.stringify(dataset.registry, null, 2), dataset.incidents);
  process.stderr.write(
    `keywatch demo: ${dataset.records.length.toLocaleString('en-US')} CloudTrail-style records, ${opts.keys} keys over ${opts.days} days, ${dataset.incidents.length} injected incidents (seed ${opts.seed}) — generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n\n`,
  );

  const alertsOut = opts.alertsOut === false ? null : new NdjsonFile(opts.alertsOut);
  const color = useColor(process.stdout);
  // `-o -`: stdout carries the NDJSON alerts only; the evaluation goes to stderr.
  const ndjsonOnStdout = opts.alertsOut === STDOUT;
  const { alerts, stats } = detect(dataset, {
    alert(alert) {
      alertsOut?.write(alert);
      if (!opts.quiet && !ndjsonOnStdout) process.stdout.write(`${renderAlert(alert, color)}\n\n`);
    },
    alertUpdate: (alert) => alertsOut?.write(alert),
  });
  alertsOut?.close();

  const evaluation = evaluate(dataset, alertsLike(alerts));
  (ndjsonOnStdout ? process.stderr : process.stdout).write(`${formatEvaluation(evaluation)}\n`);
  process.stderr.write(formatStats(stats, { alertsOut: alertsOut?.path ?? null, deadLetter: null }));
  process.stderr.write(`keywatch demo: done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return 0;
}

/**
 * Runs the dataset through the same embedded pipeline as `run` (fresh in-memory state, default detector
 * options) and returns the alerts in their final version (grouped alerts update in place).
 */
function detect(
  dataset: DemoDataset,
  on: { alert?: (a: EcsAlert) => void; alertUpdate?: (a: EcsAlert) => void } = {},
): { alerts: EcsAlert[]; stats: RunStats } {
  const registryText = JSON.stringify(dataset.registry);
  const alerts: EcsAlert[] = [];
  const pipeline = createEmbeddedPipeline(
    { format: 'auto' },
    {
      geo: createGeoLookup(),
      registry: parseRegistry(registryText, 'demo keys'),
      store: new MemoryProfileStore(),
      options: withDefaults(),
    },
    {
      alert(alert) {
        alerts.push(alert);
        on.alert?.(alert);
      },
      alertUpdate(alert) {
        alerts[alerts.findIndex((a) => a.event.id === alert.event.id)] = alert;
        on.alertUpdate?.(alert);
      },
      deadLetter(d) {
        process.stderr.write(`dead letter demo:${d.line}: ${d.reason}: ${d.message}\n`);
      },
    },
  );
  dataset.records.forEach((value, i) => {
    pipeline.push({ value }, { file: 'demo', line: i + 1 });
  });
  pipeline.finish();
  return { alerts, stats: pipeline.stats() };
}

function alertsLike(alerts: EcsAlert[]): AlertLike[] {
  return alerts.map((a) => ({ keyId: a.keywatch.key.id, ruleId: a.rule.id, eventIds: a.keywatch.evidence.event_ids }));
}

export interface DemoEvalOptions {
  seeds: number[];
  keys: number;
  days: number;
  json: boolean;
}

/**
 * `keywatch demo --eval`: one dataset per seed (each seed draws its own fleet and its own intensity of
 * every benign behaviour), each run through keywatch and scored; prints every seed, the worst, and the
 * goals. Progress goes to stderr, the result to stdout (a table, or one JSON document with --json).
 */
export async function demoEvalCommand(opts: DemoEvalOptions): Promise<number> {
  const results: SeedResult[] = [];
  for (const seed of opts.seeds) {
    const t0 = performance.now();
    const dataset = generateDemo({ seed, keys: opts.keys, days: opts.days });
    const { alerts } = detect(dataset);
    const evaluation = evaluate(dataset, alertsLike(alerts));
    const seconds = (performance.now() - t0) / 1000;
    const r = seedResult(
      seed,
      { keys: opts.keys, days: opts.days, keyDays: dataset.keyDays, records: dataset.records.length },
      evaluation,
      seconds,
    );
    results.push(r);
    process.stderr.write(
      `keywatch demo --eval: seed ${seed}: ${r.records.toLocaleString('en-US')} records, F1 ${(r.f1 * 100).toFixed(1)}%, ${r.falseAlertsPer1000KeyDays.toFixed(2)} false alerts per 1000 key-days (${seconds.toFixed(1)} s)\n`,
    );
  }
  const summary = summarizeSeeds(results);
  process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSeeds(summary)}\n`);
  return 0;
}

function writeDataset(dir: string, records: unknown[], registryText: string, incidents: unknown[]): void {
  mkdirSync(dir, { recursive: true });
  // Streamed in slices: one string of every record passes V8's string limit (~512 MB) above ~460k records.
  const fd = openSync(join(dir, 'cloudtrail.ndjson'), 'w');
  try {
    for (let i = 0; i < records.length; i += 1000) {
      writeSync(
        fd,
        `${records
          .slice(i, i + 1000)
          .map((r) => JSON.stringify(r))
          .join('\n')}\n`,
      );
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(join(dir, 'keys.json'), `${registryText}\n`);
  writeFileSync(join(dir, 'incidents.json'), `${JSON.stringify(incidents, null, 2)}\n`);
  process.stderr.write(
    `keywatch demo: dataset written to ${dir}/ (replay it with: keywatch run --input ${join(dir, 'cloudtrail.ndjson')} --keys ${join(dir, 'keys.json')})\n`,
  );
}

export { DEFAULT_DEMO };
