import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EcsAlert, renderAlert } from '@keywatch/alerts';
import { DEFAULT_DEMO, evaluate, formatEvaluation, generateDemo } from '@keywatch/demo';
import { withDefaults } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import { createEmbeddedPipeline } from '@keywatch/pipeline';
import { parseRegistry } from '@keywatch/registry';
import { MemoryProfileStore } from '@keywatch/state';
import { NdjsonFile } from '../output.ts';
import { formatStats } from '../summary.ts';

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
  const t0 = performance.now();
  const dataset = generateDemo({ seed: opts.seed, keys: opts.keys, days: opts.days });
  const registryText = JSON.stringify(dataset.registry, null, 2);
  if (opts.outDir) writeDataset(opts.outDir, dataset.records, registryText, dataset.incidents);
  process.stderr.write(
    `keywatch demo: ${dataset.records.length.toLocaleString('en-US')} CloudTrail-style records, ${opts.keys} keys over ${opts.days} days, ${dataset.incidents.length} injected incidents (seed ${opts.seed}) — generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n\n`,
  );

  const alertsOut = opts.alertsOut === false ? null : new NdjsonFile(opts.alertsOut);
  const alerts: EcsAlert[] = [];
  const color = process.stdout.isTTY === true;
  const store = new MemoryProfileStore();
  const pipeline = createEmbeddedPipeline(
    { format: 'auto' },
    { geo: createGeoLookup(), registry: parseRegistry(registryText, 'demo keys'), store, options: withDefaults() },
    {
      alert(alert) {
        alerts.push(alert);
        alertsOut?.write(alert);
        if (!opts.quiet) process.stdout.write(`${renderAlert(alert, color)}\n\n`);
      },
      alertUpdate(alert) {
        alerts[alerts.findIndex((a) => a.event.id === alert.event.id)] = alert;
        alertsOut?.write(alert);
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
  const stats = pipeline.stats();
  alertsOut?.close();

  const evaluation = evaluate(
    dataset,
    alerts.map((a) => ({ keyId: a.keywatch.key.id, ruleId: a.rule.id, eventIds: a.keywatch.evidence.event_ids })),
  );
  process.stdout.write(`${formatEvaluation(evaluation)}\n`);
  process.stderr.write(formatStats(stats, { alertsOut: alertsOut?.path ?? null, deadLetter: null }));
  process.stderr.write(`keywatch demo: done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return 0;
}

function writeDataset(dir: string, records: unknown[], registryText: string, incidents: unknown[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cloudtrail.ndjson'), `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
  writeFileSync(join(dir, 'keys.json'), `${registryText}\n`);
  writeFileSync(join(dir, 'incidents.json'), `${JSON.stringify(incidents, null, 2)}\n`);
  process.stderr.write(
    `keywatch demo: dataset written to ${dir}/ (replay it with: keywatch run --input ${join(dir, 'cloudtrail.ndjson')} --keys ${join(dir, 'keys.json')})\n`,
  );
}

export { DEFAULT_DEMO };
