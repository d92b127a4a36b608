/**
 * `npm run bench:report`: how long `keywatch report` takes for the demo fleet and for 10,000 keys.
 * The large fleet is the demo's 40 keys (14 days of traffic, their history and alerts) copied under new
 * ids, so every page has realistic content. Prints one line per fleet; `--keys N` changes the large one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { withDefaults } from '@keywatch/detect';
import { writeReport } from '@keywatch/report';
import { StateReader } from '@keywatch/state';

const ROOT = join(import.meta.dirname, '..', '..');
const arg = process.argv.indexOf('--keys');
const target = arg > 0 ? Number(process.argv[arg + 1]) : 10_000;
const work = mkdtempSync(join(tmpdir(), 'kw-bench-report-'));

function keywatch(args: string[]): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'services/cli/bin/keywatch.mjs'), ...args], { cwd: work, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`keywatch ${args.join(' ')}: ${r.stderr}`);
}

/** Copies every key of `from` into `to` `copies` times (ids `<id>-<n>`), with profile, history and alerts. */
function cloneFleet(from: string, to: string, copies: number): void {
  const db = new DatabaseSync(to);
  db.exec(`ATTACH DATABASE '${from}' AS src`);
  const tables = ['profiles', 'key_info', 'key_days', 'key_values', 'alerts', 'feedback', 'suppressions', 'meta'];
  for (const t of tables) {
    const sql = (db.prepare('SELECT sql FROM src.sqlite_master WHERE name = ?').get(t) as { sql: string }).sql;
    db.exec(sql);
  }
  db.exec('INSERT INTO meta SELECT * FROM src.meta');
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${copies})
    INSERT INTO profiles SELECT credential_id || '-' || i, profile FROM src.profiles, n;`);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${copies})
    INSERT INTO key_info SELECT key_id || '-' || i, info FROM src.key_info, n;`);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${copies})
    INSERT INTO key_days SELECT key_id || '-' || i, day, hours, failures, auth_failures, writes FROM src.key_days, n;`);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${copies})
    INSERT INTO key_values SELECT key_id || '-' || i, kind, value, label, first, last, calls, failures FROM src.key_values, n;`);
  db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${copies})
    INSERT INTO alerts SELECT id || '-' || i, key_id || '-' || i, rule, time, doc FROM src.alerts, n;`);
  db.close();
}

function timeReport(state: string, out: string): string {
  const reader = new StateReader(state);
  try {
    const r = writeReport(reader, out, withDefaults());
    return `${r.keys.toLocaleString('en-US')} keys: ${r.seconds.toFixed(1)} s (${((r.seconds * 1000) / r.keys).toFixed(2)} ms a key), ${(r.bytes / 1e6).toFixed(0)} MB of HTML, ${(r.bytes / r.files / 1e3).toFixed(0)} kB a page on average`;
  } finally {
    reader.close();
  }
}

try {
  process.stderr.write('generating the demo and its state (keywatch demo, keywatch run) …\n');
  keywatch(['demo', '--out-dir', 'd', '--quiet', '--no-alerts-out']);
  keywatch(['run', '--input', 'd/cloudtrail.ndjson', '--keys', 'd/keys.json', '--state', 's.db', '--quiet', '--no-alerts-out']);
  process.stdout.write(`demo fleet   ${timeReport(join(work, 's.db'), join(work, 'r-demo'))}\n`);
  const copies = Math.ceil(target / new StateReader(join(work, 's.db')).keyIds().length);
  cloneFleet(join(work, 's.db'), join(work, 'big.db'), copies);
  process.stdout.write(`large fleet  ${timeReport(join(work, 'big.db'), join(work, 'r-big'))}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
