import { type EcsAlert, plainText, renderAlert, renderUpdate, type SeverityLabel } from '@keywatch/alerts';
import { withDefaults } from '@keywatch/detect';
import { createGeoLookup, type GeoLookupOptions } from '@keywatch/enrich';
import { UsageError } from '@keywatch/errors';
import type { CanonicalEvent } from '@keywatch/event';
import { createEmbeddedPipeline, heldId, loadSuppressions, type RecordOrigin, type RunStats } from '@keywatch/pipeline';
import { EMPTY_REGISTRY, type KeyRegistry, loadRegistry } from '@keywatch/registry';
import { GATEWAY_PRESETS, type GatewayMapping, type InputFormat } from '@keywatch/sources';
import {
  AlertJournal,
  type HeldCheckpoint,
  KeyHistory,
  loadFingerprintKey,
  openStateFile,
  PackedMemoryProfileStore,
  type ProfileStore,
  SqliteProfileStore,
} from '@keywatch/state';
import { openDelivery } from '../delivery.ts';
import { expandInputs, orderByFirstEvent, readInput, readTopic, type TopicInput } from '../input.ts';
import { ledgerDecision } from '../ledger.ts';
import { checkOutputs, NdjsonFile, type OutputPath, outputFiles, progressReporter, writeFileAtomic } from '../output.ts';
import { formatStats } from '../summary.ts';
import { atOrAbove, STDOUT, useColor } from '../terminal.ts';

export interface RunOptions {
  input: string[];
  /** Read a Kafka topic instead of files. */
  topic?: TopicInput;
  format: InputFormat;
  gateway?: string;
  keys?: string;
  suppressions?: string;
  alertsOut: string | false;
  deadLetter?: string;
  state?: string;
  statsJson?: string;
  strict: boolean;
  /** Exit 3 when an alert of this severity or above was raised (CI gating). */
  failOn?: SeverityLabel;
  quiet: boolean;
  learnEvents?: number;
  learnDays?: number;
  learnOnly?: boolean;
  /** Operator geo data: .mmdb files and a cloud ranges CSV (default: the bundled data). */
  geo?: Pick<GeoLookupOptions, 'geoDb' | 'asnDb' | 'cloudRanges'>;
  /** Delivery config (destinations, routes, …): alerts also go to Elasticsearch, Slack, PagerDuty… */
  delivery?: string;
  /** Durable delivery queue file (default: next to the delivery config, `.keywatch/delivery.db`). */
  queue?: string;
  /** How long to keep delivering at the end of the input before leaving the rest in the queue. */
  drainSeconds?: number;
  /** Base URL of the published `keywatch report`: alerts link to their key's page. */
  reportUrl?: string;
  /** Read inputs the state's ledger says were processed already. */
  reprocess?: boolean;
  /** Events are detected in event-time order within this many seconds (default DEFAULT_LATENESS_SECONDS). */
  latenessSeconds?: number;
}

/** The state is checkpointed (profiles + ledger, one transaction) this often, and every CHECKPOINT_RECORDS records. */
const CHECKPOINT_MS = 5000;
const CHECKPOINT_RECORDS = 50_000;
/** With -q or --dead-letter, how many dead letters are printed on the terminal before the summary's counts. */
const DEAD_LETTERS_SHOWN = 5;

/** `keywatch run`: inputs through normalize → detect → alert, alerts to the terminal and NDJSON. */
export async function runCommand(opts: RunOptions): Promise<number> {
  // Outputs are checked against the inputs, the state and each other before anything is read or written.
  const outputs: OutputPath[] = [
    ...(opts.alertsOut !== false ? [{ flag: '--alerts-out', path: opts.alertsOut }] : []),
    ...(opts.deadLetter ? [{ flag: '--dead-letter', path: opts.deadLetter }] : []),
    ...(opts.statsJson ? [{ flag: '--stats-json', path: opts.statsJson }] : []),
    ...(opts.queue ? [{ flag: '--queue', path: opts.queue }] : []),
  ];
  const files = opts.topic ? [] : expandInputs(opts.input, outputFiles(outputs, opts.state));
  checkOutputs(outputs, files, opts.state);
  // First, so a wrong geo data path fails before any file is created or opened.
  const geo = createGeoLookup({
    ...opts.geo,
    onReload: (file, error) =>
      process.stderr.write(error ? `geo data ${file} not reloaded: ${error.message}\n` : `geo data ${file} reloaded\n`),
  });
  const registry: KeyRegistry = opts.keys ? loadRegistry(opts.keys) : EMPTY_REGISTRY;
  const fileSuppressions = opts.suppressions ? loadSuppressions(opts.suppressions) : [];
  // One run per state file at a time (a second fails at once naming the holder); a foreign or damaged file is refused.
  const lock = opts.state ? openStateFile(opts.state, { create: true, command: opts.learnOnly ? 'replay' : 'run' }) : null;
  // Without a state file, profiles live packed in memory (~400 B a key rather than ~2.5 KB as objects).
  const sqlite = opts.state ? new SqliteProfileStore(opts.state) : null;
  const store: ProfileStore = sqlite ?? new PackedMemoryProfileStore();
  // With a state file, alerts are journalled so `keywatch feedback` can act on them, and feedback's
  // suppressions apply to this run.
  const journal = opts.state ? new AlertJournal(opts.state) : null;
  // With a state file, the report history (calls per day, values used) is kept too, for explain and report.
  const history = opts.state ? new KeyHistory(opts.state) : null;
  const alertsOut = opts.alertsOut === false ? null : new NdjsonFile(opts.alertsOut);
  const deadLetters = opts.deadLetter ? new NdjsonFile(opts.deadLetter) : null;
  const delivery = opts.delivery ? await openDelivery(opts.delivery, opts.queue) : null;
  const toDeliver: EcsAlert[] = [];
  const color = useColor(process.stdout);
  const stderrColor = useColor(process.stderr);
  // When an output goes to stdout (`-`), stdout carries that output only: alerts are not also rendered there.
  const render = !opts.quiet && ![opts.alertsOut, opts.deadLetter, opts.statsJson].includes(STDOUT);
  let failOn = 0;
  let shownDeadLetters = 0;

  const source = { format: opts.format, ...(opts.gateway ? { gateway: gatewayMapping(opts.gateway) } : {}) };
  const pipeline = createEmbeddedPipeline(
    {
      ...source,
      // Secret fingerprints keyed with the installation's key, kept in the state file (docs/secrets.md).
      ...(opts.state ? { fingerprintKey: loadFingerprintKey(opts.state) } : {}),
    },
    {
      geo,
      registry,
      store,
      suppressions: [...fileSuppressions, ...(journal?.suppressions() ?? [])],
      options: withDefaults({
        learning: {
          ...(opts.learnEvents !== undefined ? { minEvents: opts.learnEvents } : {}),
          ...(opts.learnDays !== undefined ? { minDays: opts.learnDays } : {}),
        },
      }),
      learnOnly: opts.learnOnly === true,
      ...(history ? { history } : {}),
      ...(opts.reportUrl ? { reportUrl: opts.reportUrl } : {}),
    },
    {
      alert(alert) {
        alertsOut?.write(alert);
        journal?.record(alert);
        if (delivery) toDeliver.push(alert);
        if (render) process.stdout.write(`${renderAlert(alert, color)}\n\n`);
        if (opts.failOn && atOrAbove(alert.keywatch.alert.severity, opts.failOn)) failOn++;
      },
      alertUpdate(alert) {
        alertsOut?.write(alert);
        journal?.update(alert);
        if (delivery) toDeliver.push(alert);
        if (render) process.stdout.write(`${renderUpdate(alert, color)}\n\n`);
      },
      deadLetter(d) {
        deadLetters?.write(d);
        // With -q or --dead-letter only the first few reach the terminal; the summary counts them by reason.
        shownDeadLetters++;
        if (shownDeadLetters > (opts.quiet || deadLetters ? DEAD_LETTERS_SHOWN : Number.POSITIVE_INFINITY)) return;
        process.stderr.write(
          `${stderrColor ? '\x1b[33m' : ''}dead letter${stderrColor ? '\x1b[0m' : ''} ${plainText(`${d.file}:${d.line}: ${d.reason}: ${d.message}`)}\n`,
        );
        if (shownDeadLetters === DEAD_LETTERS_SHOWN && (opts.quiet || deadLetters))
          process.stderr.write(
            `(further dead letters are not shown here${deadLetters ? `; all are in ${deadLetters.path}` : ''})\n`,
          );
      },
    },
    opts.latenessSeconds !== undefined ? { latenessSeconds: opts.latenessSeconds } : {},
  );
  // Events the reorder buffer held at the last checkpoint (a run that crashed): back in before any record.
  if (sqlite) {
    const saved = sqlite.heldEvents();
    const events = saved.events.map((json) => JSON.parse(json) as { event: CanonicalEvent; tag: RecordOrigin });
    pipeline.restoreHeld(events, saved.maxTimeMs);
  }
  /** What the reorder buffer holds, for a checkpoint (JSON made only for events the state does not have yet). */
  const held = (): HeldCheckpoint => {
    const now = pipeline.held();
    return {
      maxTimeMs: now.maxTimeMs,
      entries: now.events.map((h) => ({ id: heldId(h.ms, h.event), json: () => JSON.stringify({ event: h.event, tag: h.tag }) })),
    };
  };

  const progress = progressReporter(process.stderr.isTTY === true || files.length > 1);
  let stats: RunStats;
  let complete = false;
  try {
    const inputs = opts.topic
      ? [{ name: opts.topic.topic, read: () => readTopic(opts.topic!) }]
      : (await orderByFirstEvent(files, source)).map((f) => ({ name: f, read: () => readInput(f) }));
    for (const input of inputs) {
      // With a state file, the ledger says whether this file (by content) was processed, or how far.
      const decision =
        sqlite && input.name !== '-' && !opts.topic ? await ledgerDecision(sqlite, input.name, opts.reprocess === true) : null;
      if (decision?.reason)
        process.stderr.write(
          `keywatch: ${plainText(input.name)}: ${decision.reason}${decision.action === 'skip' ? ' (ledger in the state file); skipped, --reprocess reads it again' : ''}\n`,
        );
      if (decision?.action === 'skip') {
        // Recorded under this path too: the content stays known when the file it matched changes later.
        sqlite!.checkpoint({ ...decision.progress, path: input.name });
        continue;
      }
      const progressOf = decision?.progress ?? null;
      let records = 0;
      let lastCheckpoint = performance.now();
      for await (const batch of input.read()) {
        for (const { record, origin } of batch) {
          records++;
          // Already in the baselines (checkpointed before a crash, or the part of a grown file read before).
          if (decision && records <= decision.from) continue;
          pipeline.push(record, origin);
          // Durable in the delivery queue before the next record: a crash re-delivers, never loses.
          if (toDeliver.length > 0) await delivery!.submit(toDeliver.splice(0));
        }
        progress(pipeline.live.recordsRead, pipeline.live.alerts.total);
        // Checkpoint between records, by time and by count: profiles and ledger in one transaction.
        if (
          sqlite &&
          (performance.now() - lastCheckpoint >= CHECKPOINT_MS || pipeline.live.recordsRead % CHECKPOINT_RECORDS < batch.length)
        ) {
          history?.flush();
          sqlite.checkpoint(progressOf ? { ...progressOf, records, complete: false } : undefined, held());
          lastCheckpoint = performance.now();
        }
      }
      if (sqlite) {
        history?.flush();
        sqlite.checkpoint(progressOf ? { ...progressOf, records, complete: true } : undefined, held());
      }
    }
    pipeline.finish(); // the events still held, then the final versions of alerts still open
    if (sqlite) {
      history?.flush();
      sqlite.checkpoint(undefined, held()); // nothing held any more
    }
    if (toDeliver.length > 0) await delivery!.submit(toDeliver.splice(0));
    await delivery?.finish(opts.drainSeconds ?? 30);
    complete = true;
  } finally {
    await delivery?.close();
    stats = pipeline.stats();
    alertsOut?.close(complete);
    deadLetters?.close(complete);
    // After a failure the pending profiles are not written: they would run ahead of the ledger's checkpoint.
    if (sqlite && !complete) sqlite.abandon();
    else store.close();
    history?.close();
    journal?.close();
    geo.close();
    lock?.release();
  }
  if (opts.statsJson === STDOUT) process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
  else if (opts.statsJson) writeFileAtomic(opts.statsJson, `${JSON.stringify(stats, null, 2)}\n`);
  process.stderr.write(formatStats(stats, { alertsOut: alertsOut?.path ?? null, deadLetter: deadLetters?.path ?? null }));
  if (failOn > 0) {
    process.stderr.write(`keywatch: ${failOn} alert${failOn === 1 ? '' : 's'} at or above ${opts.failOn} (--fail-on): exit 3\n`);
    return 3;
  }
  return opts.strict && stats.deadLettered.total > 0 ? 2 : 0;
}

function gatewayMapping(name: string): GatewayMapping {
  const preset = (GATEWAY_PRESETS as Record<string, GatewayMapping>)[name];
  if (!preset)
    throw new UsageError(`--gateway ${name}: unknown preset; choose one of ${Object.keys(GATEWAY_PRESETS).join(', ')}`);
  return preset;
}
