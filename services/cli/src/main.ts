import { readFileSync } from 'node:fs';
import { parseSeeds } from '@keywatch/demo';
import { isExpectedError } from '@keywatch/errors';
import { INPUT_FORMATS } from '@keywatch/sources';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_DEMO, demoCommand, demoEvalCommand } from './commands/demo.ts';
import { explainCommand } from './commands/explain.ts';
import { feedbackCommand } from './commands/feedback.ts';
import { reportCommand } from './commands/report.ts';
import { type RunOptions, runCommand } from './commands/run.ts';
import type { TopicInput } from './input.ts';
import { SEVERITIES } from './terminal.ts';

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

/** A whole number within bounds, checked before anything runs (`demo --keys 0` is a usage error, not a crash). */
function wholeNumberIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

/** `0`, `90s`, `15m`, `2h`, `1d` → seconds. */
function duration(value: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!m || (m[2] === '' && m[1] !== '0')) throw new InvalidArgumentError('use a number and a unit, like 15m, 90s, 2h or 0');
  return Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
}

/** The product version is the CLI package's: one number for the image, the CLI and the workers. */
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
function seedList(value: string): number[] {
  try {
    return parseSeeds(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

const program = new Command()
  .name('keywatch')
  .version(VERSION, '-V, --version', 'print the keywatch version')
  .description('Watches how every API key is used and raises an alert when one behaves like it has been stolen.')
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText(
    'after',
    `
Start here:
  keywatch demo                                 synthetic keys and incidents, alerts, precision/recall
  keywatch run --input cloudtrail.ndjson        your own audit logs

Docs: README.md and docs/ in the keywatch repository.`,
  );

/** Options shared by `run` and `replay`: the same pipeline, two purposes. */
function withRunOptions(cmd: Command): Command {
  return cmd
    .option(
      '-i, --input <paths...>',
      'audit-log files (NDJSON, {"Records":[...]} JSON, .gz), globs, or - for stdin; files are read in the order of their first call',
    )
    .option('--topic <name>', 'read this Kafka topic instead of files (with --brokers, --from-offset or --from-timestamp)')
    .option('--brokers <list>', 'Kafka brokers for --topic, comma separated (default: $KAFKA_BROKERS)')
    .option('--from-offset <n>', 'with --topic: start at this offset in every partition (default 0)', wholeNumber)
    .option('--from-timestamp <time>', 'with --topic: start at the first record at or after this ISO time')
    .addOption(new Option('-f, --format <format>', 'source format of every input').choices(INPUT_FORMATS).default('auto'))
    .option('--gateway <preset>', 'field mapping for gateway access logs: kong, envoy or aws-apigateway (default: guessed)')
    .option('-k, --keys <registry>', 'key registry (YAML or JSON): owner, scope, timezone, business hours per key')
    .option('--suppressions <file>', 'allowlist (YAML or JSON): findings it matches never alert; see docs/suppressions.md')
    .option('-o, --alerts-out <file>', 'write alerts as ECS NDJSON here (- for stdout)', 'keywatch-alerts.ndjson')
    .option('--no-alerts-out', 'do not write an alerts file')
    .option('--dead-letter <file>', 'write records that could not be used, with the reason, as NDJSON here (- for stdout)')
    .option(
      '-s, --state <file>',
      'keep key baselines (and alerts, feedback) in this SQLite file; the next run continues from them',
    )
    .option(
      '--stats-json <file>',
      'write counts (records, events, dead letters by reason, alerts by rule, seconds) as JSON (- for stdout)',
    )
    .option('--learn-events <n>', 'events a key needs before new-value detectors speak (default 50)', wholeNumber)
    .option('--learn-days <n>', 'days of history a key needs before new-value detectors speak (default 2)', wholeNumber)
    .option('--learn-only', 'build baselines without alerting (warm start from history)')
    .option('--geo-db <mmdb>', 'MaxMind/DB-IP City or Country .mmdb instead of the bundled GeoLite2 (re-read when replaced)')
    .option('--asn-db <mmdb>', 'MaxMind/DB-IP ASN .mmdb instead of the bundled ASN tables (re-read when replaced)')
    .option('--cloud-ranges <csv>', 'cloud region ranges from libs/enrich/scripts/update-cloud-ranges.ts (default: bundled)')
    .option('--report-url <url>', 'where `keywatch report` output is published: alerts link to their key page')
    .option('--delivery <file>', 'delivery config (YAML): destinations, routes, rate limits; see docs/delivery.md')
    .option('--queue <file>', 'durable delivery queue (default .keywatch/delivery.db next to the delivery config)')
    .option(
      '--drain-seconds <n>',
      'at the end, keep delivering this long before leaving the rest queued (default 30)',
      wholeNumber,
    )
    .option('--reprocess', "with --state: read inputs the state's ledger says were processed already")
    .option(
      '--lateness <duration>',
      'hold events this long (event time) to detect them in time order; later ones are learned, not judged (default 15m, 0: arrival order)',
      duration,
    )
    .option('--strict', 'exit with code 2 when any record was dead-lettered')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit with code 3 when an alert of this severity or above was raised (CI gating)',
      ).choices(SEVERITIES),
    )
    .option('-q, --quiet', 'do not print alerts on the terminal (the summary still goes to stderr)');
}

function topicInput(opts: Record<string, unknown>): TopicInput | undefined {
  if (opts.topic === undefined) {
    if (opts.input === undefined) throw new InvalidArgumentError('--input <paths...> or --topic <name> is required');
    return undefined;
  }
  if (opts.input !== undefined) throw new InvalidArgumentError('--input and --topic exclude each other');
  const brokers = String(opts.brokers ?? process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new InvalidArgumentError('--topic needs --brokers host:port[,host:port] (or KAFKA_BROKERS)');
  let fromTimestamp: number | undefined;
  if (opts.fromTimestamp !== undefined) {
    fromTimestamp = Date.parse(String(opts.fromTimestamp));
    if (Number.isNaN(fromTimestamp)) throw new InvalidArgumentError(`--from-timestamp ${opts.fromTimestamp}: not an ISO time`);
  }
  return {
    brokers,
    topic: String(opts.topic),
    ...(opts.fromOffset !== undefined ? { fromOffset: opts.fromOffset as number } : {}),
    ...(fromTimestamp !== undefined ? { fromTimestamp } : {}),
  };
}

async function runAction(opts: Record<string, unknown>): Promise<void> {
  const topic = topicInput(opts);
  if (opts.reportUrl !== undefined && !URL.canParse(String(opts.reportUrl))) {
    throw new InvalidArgumentError(`--report-url ${opts.reportUrl}: not a URL (e.g. https://keywatch.example.com/report)`);
  }
  process.exitCode = await runCommand({
    ...(topic ? { topic } : {}),
    input: (opts.input as string[] | undefined) ?? [],
    format: opts.format as RunOptions['format'],
    gateway: opts.gateway as string | undefined,
    keys: opts.keys as string | undefined,
    suppressions: opts.suppressions as string | undefined,
    alertsOut: opts.alertsOut as string | false,
    deadLetter: opts.deadLetter as string | undefined,
    state: opts.state as string | undefined,
    statsJson: opts.statsJson as string | undefined,
    strict: opts.strict === true,
    failOn: opts.failOn as RunOptions['failOn'],
    quiet: opts.quiet === true,
    learnEvents: opts.learnEvents as number | undefined,
    learnDays: opts.learnDays as number | undefined,
    learnOnly: opts.learnOnly === true,
    geo: {
      ...(opts.geoDb !== undefined ? { geoDb: String(opts.geoDb) } : {}),
      ...(opts.asnDb !== undefined ? { asnDb: String(opts.asnDb) } : {}),
      ...(opts.cloudRanges !== undefined ? { cloudRanges: String(opts.cloudRanges) } : {}),
    },
    delivery: opts.delivery as string | undefined,
    queue: opts.queue as string | undefined,
    drainSeconds: opts.drainSeconds as number | undefined,
    reportUrl: opts.reportUrl as string | undefined,
    reprocess: opts.reprocess === true,
    ...(opts.lateness !== undefined ? { latenessSeconds: opts.lateness as number } : {}),
  });
}

withRunOptions(
  program.command('run').description("Read audit logs, learn each key's baseline, print and write explained alerts."),
)
  .addHelpText(
    'after',
    `
Examples:
  keywatch run --input trail.ndjson
  keywatch run --input 'logs/2026/03/*.json.gz' --keys keys.yaml --state .keywatch/state.db
  cat events.ndjson | keywatch run --input - --format cloudtrail --dead-letter bad.ndjson --strict
  keywatch run --input kong.log --format gateway --gateway kong --stats-json stats.json
  SLACK_WEBHOOK=... keywatch run --input trail.ndjson --delivery delivery.yaml
  keywatch run --input trail.ndjson -o - --quiet | jq .message     # alerts as NDJSON on stdout
  keywatch run --input trail.ndjson --state s.db --fail-on high    # CI: exit 3 on a high or critical alert

An output file given as - goes to stdout, which then carries that output only (alerts are not rendered there).
Colour: only on a terminal; NO_COLOR turns it off, FORCE_COLOR on.

Input problems (corrupt gzip, bad lines, over-long records) are dead letters, never an exit. With --state,
inputs are recorded by content in the state's ledger: a file processed before is skipped (--reprocess reads
it), a run that was stopped resumes where its last checkpoint (every 5 s) left off, a grown file is read from
where it ended. Output files are written as <file>.partial and renamed when the run completes.

Exit codes: 0 done; 1 bad options, an output that would overwrite an input/the state/another output, a state
file in use by another keywatch, damaged or not a keywatch state, a delivery config error, or an unexpected
failure (stack trace: a bug); 2 with --strict, some records were dead-lettered; 3 with --fail-on, an alert
at or above that severity was raised (checked before 2).`,
  )
  .action(runAction);

withRunOptions(
  program
    .command('replay')
    .description('Replay history through the pipeline; with --learn-only, build baselines without alerting (warm start).'),
)
  .addHelpText(
    'after',
    `
A new installation is useful on day one: replay the last weeks of logs with --learn-only into a state
file, then run live with the same --state. Without --learn-only, replay alerts like run.

Examples:
  keywatch replay --input 'archive/2026/02/*.json.gz' --learn-only --state .keywatch/state.db
  keywatch replay --topic raw.cloudtrail --brokers kafka:9092 --from-timestamp 2026-02-01T00:00:00Z --learn-only --state s.db
  keywatch run --input today.ndjson --state .keywatch/state.db

Exit codes: as for run (keywatch run --help).`,
  )
  .action(runAction);

program
  .command('feedback')
  .description("Tell keywatch an alert was benign (teach the key's baseline) or malicious (unlearn the attacker).")
  .argument('<alert-id>', 'the alert id (event.id in the alert document; a unique prefix of 6+ characters is enough)')
  .addOption(new Option('--benign', 'the alert was benign: its values become part of the key baseline').conflicts('malicious'))
  .option('--malicious', "the alert was an attack: take the attacker's values back out of the baseline")
  .option('--ttl <duration>', 'with --benign: also suppress this rule and value for the key for this long (30d, 12h)')
  .option('--note <text>', 'why; recorded with the verdict')
  .requiredOption('-s, --state <file>', 'the state file the alert was raised with (keywatch run --state)')
  .option('-k, --keys <registry>', 'key registry, for the key timezone (off_hours feedback)')
  .option('--delivery <file>', 'delivery config: with --benign, resolve the PagerDuty incidents the alert opened')
  .addHelpText(
    'after',
    `
Examples:
  keywatch feedback 5b0c1e9a --benign --state .keywatch/state.db
  keywatch feedback 5b0c1e9a --benign --ttl 30d --note "Alice travels to Lisbon" --state .keywatch/state.db
  keywatch feedback 9f2d44c1 --malicious --state .keywatch/state.db
  keywatch feedback 5b0c1e9a --benign --state .keywatch/state.db --delivery delivery.yaml   # also resolves the page

Exit codes: 0 recorded; 1 bad options, no such alert, a PagerDuty resolve that failed, a missing (never created), damaged or busy state file.`,
  )
  .action(async (alertId: string, opts) => {
    if (opts.benign !== true && opts.malicious !== true) throw new InvalidArgumentError('say --benign or --malicious');
    process.exitCode = await feedbackCommand({
      delivery: opts.delivery,
      alertId,
      verdict: opts.benign === true ? 'benign' : 'malicious',
      state: opts.state,
      ttl: opts.ttl,
      note: opts.note,
      keys: opts.keys,
    });
  });

program
  .command('explain')
  .description('What a key normally does: its declaration, baseline in words, learning status and recent alerts.')
  .argument('<key-id>', 'the credential id (access key id, SA key name, token:<id>, gateway key id)')
  .option('-s, --state <file>', 'the state file of keywatch run / replay')
  .option('--topic <name>', "instead of --state: a detect worker's changelog topic (e.g. keywatch.state), with --brokers")
  .option('--alerts-topic <name>', 'with --topic: also read the key’s alerts from this topic (e.g. keywatch.alerts)')
  .option('--brokers <list>', 'Kafka brokers for --topic, comma separated (default: $KAFKA_BROKERS)')
  .option('--json', 'print the explanation as JSON')
  .addHelpText(
    'after',
    `
Exit codes: 0 explained; 1 bad options or unreadable state; 3 the key is unknown.

Examples:
  keywatch explain AKIAEXAMPLEKEY000001 --state .keywatch/state.db
  keywatch explain AKIAEXAMPLEKEY000001 --state .keywatch/state.db --json | jq .baseline.countries
  keywatch explain AKIAEXAMPLEKEY000001 --topic keywatch.state --alerts-topic keywatch.alerts --brokers kafka:9092`,
  )
  .action(async (keyId: string, opts) => {
    let topic: { brokers: string[]; topic: string; alertsTopic?: string } | undefined;
    if (opts.topic !== undefined) {
      if (opts.state !== undefined) throw new InvalidArgumentError('--state and --topic exclude each other');
      const t = topicInput({ topic: opts.topic, brokers: opts.brokers });
      topic = { brokers: t!.brokers, topic: t!.topic, ...(opts.alertsTopic ? { alertsTopic: String(opts.alertsTopic) } : {}) };
    } else if (opts.state === undefined) {
      throw new InvalidArgumentError('--state <file> or --topic <changelog topic> is required');
    }
    process.exitCode = await explainCommand({ keyId, state: opts.state, ...(topic ? { topic } : {}), json: opts.json === true });
  });

program
  .command('report')
  .description('Write a static, self-contained HTML report: the fleet by risk and one page per key with charts.')
  .requiredOption('-s, --state <file>', 'the state file of keywatch run / replay')
  .requiredOption('-o, --out <dir>', 'folder to write index.html and keys/*.html into')
  .addHelpText(
    'after',
    `
The pages load nothing from anywhere (inline CSS and SVG, no CDN): open index.html offline, attach a key
page to a ticket, or publish the folder and pass its URL to keywatch run --report-url so alerts link to it.

Examples:
  keywatch report --state .keywatch/state.db --out report && xdg-open report/index.html
  keywatch demo --out-dir d && keywatch run --input d/cloudtrail.ndjson --keys d/keys.json --state s.db && keywatch report --state s.db --out r`,
  )
  .action((opts: { state: string; out: string }) => {
    process.exitCode = reportCommand({ state: opts.state, out: opts.out });
  });

program
  .command('demo')
  .description('Generate a realistic multi-day dataset with labelled incidents, run it, and score the alerts.')
  .option('--seed <n>', 'random seed; the same seed gives the same dataset', wholeNumber, DEFAULT_DEMO.seed)
  .option('--keys <n>', 'number of keys (1-10000)', wholeNumberIn(1, 10_000), DEFAULT_DEMO.keys)
  .option('--days <n>', 'number of days (1-366)', wholeNumberIn(1, 366), DEFAULT_DEMO.days)
  .option('-o, --alerts-out <file>', 'write alerts as ECS NDJSON here (- for stdout)', 'keywatch-demo-alerts.ndjson')
  .option('--no-alerts-out', 'do not write an alerts file')
  .option('--out-dir <dir>', 'also write the dataset (records, key registry, incident labels) to this folder')
  .option('-q, --quiet', 'print only the evaluation, not every alert')
  .option(
    '--eval',
    'score several seeds (--seeds) without printing alerts: per-seed F1, false alerts per 1000 key-days, the worst seed',
  )
  .option('--seeds <list>', 'with --eval: seeds such as 1-10 or 1,4,9 (default 1-5)', seedList, [1, 2, 3, 4, 5])
  .option('--json', 'with --eval: print the result as one JSON document')
  .addHelpText(
    'after',
    `
Examples:
  keywatch demo
  keywatch demo --quiet --seed 42 --keys 100 --days 21
  keywatch demo --eval --seeds 1-10
  keywatch demo --out-dir demo-data && keywatch run --input demo-data/cloudtrail.ndjson --keys demo-data/keys.json`,
  )
  .action(async (opts) => {
    if (opts.eval === true) {
      process.exitCode = await demoEvalCommand({ seeds: opts.seeds, keys: opts.keys, days: opts.days, json: opts.json === true });
      return;
    }
    process.exitCode = await demoCommand({
      seed: opts.seed,
      keys: opts.keys,
      days: opts.days,
      alertsOut: opts.alertsOut,
      outDir: opts.outDir,
      quiet: opts.quiet === true,
    });
  });

program
  .command('worker')
  .description(
    'Run one Kafka stage (normalize, detect, dispatch, or normalize-detect: both in one process) as a long-running consumer-group worker.',
  )
  .requiredOption('--role <role>', 'normalize | detect | dispatch | normalize-detect')
  .requiredOption('--config <file>', 'worker configuration (YAML or JSON; environment KEYWATCH_<SECTION>__<KEY> overrides)')
  .addHelpText(
    'after',
    `
Serves /metrics, /healthz and /readyz on the configured http port; SIGTERM finishes the batch in flight,
commits and exits 0. Configuration reference: docs/kafka.md; example: deploy/keywatch.example.yaml.

normalize-detect is correct only when all records of one key (for AWS role sessions, of the role) land in
one raw partition: key the raw topic by credential, or give it one partition (docs/kafka.md).

Examples:
  keywatch worker --role normalize --config keywatch.yaml
  KEYWATCH_KAFKA__BROKERS=kafka-0:9092,kafka-1:9092 keywatch worker --role detect --config keywatch.yaml`,
  )
  .action(async (opts: { role: string; config: string }) => {
    const { main: workerMain } = await import('@keywatch/worker');
    // Exit explicitly: the Kafka client may keep timers alive after disconnecting.
    process.exit(await workerMain(['--role', opts.role, '--config', opts.config]));
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Expected failures (bad registry, missing file, busy state) are one clear line; bugs keep their stack.
  const expected = isExpectedError(err) || err instanceof CommanderError;
  process.stderr.write(`keywatch: ${expected ? (err as Error).message : ((err as Error)?.stack ?? String(err))}\n`);
  process.exitCode = 1;
}
