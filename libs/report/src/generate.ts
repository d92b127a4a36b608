import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DetectOptions, Suppression } from '@keywatch/detect';
import type { KeyInfo } from '@keywatch/registry';
import type { StateReader } from '@keywatch/state';
import { explainKey } from './explain.ts';
import type { KeyData } from './model.ts';
import { type FleetRow, indexPage, keyPage } from './pages.ts';
import { keyPagePath } from './paths.ts';

/** Alerts shown per key (explain and key pages); the journal keeps them all. */
export const ALERTS_PER_KEY = 50;

/** Everything the state file knows about one key; null when it knows nothing. */
export function loadKeyData(
  reader: StateReader,
  keyId: string,
  allSuppressions = reader.suppressions() as Suppression[],
  alertLimit = ALERTS_PER_KEY,
): KeyData | null {
  const profile = reader.profile(keyId);
  const alerts = reader.alerts(keyId, alertLimit);
  if (profile === null && alerts.length === 0) return null;
  return {
    id: keyId,
    info: (reader.info(keyId) as KeyInfo | null) ?? null,
    profile,
    days: reader.days(keyId),
    values: reader.values(keyId),
    alerts,
    feedback: reader.feedback(keyId),
    suppressions: allSuppressions.filter((s) => s.key === null || s.key === keyId),
  };
}

/** The time a state file is "as of": its latest call (epoch seconds), so reports of old data stay meaningful. */
export function stateAsOf(reader: StateReader, ids: readonly string[]): number {
  let asOf = 0;
  for (const id of ids) asOf = Math.max(asOf, reader.profile(id)?.lastSeen ?? 0);
  return asOf;
}

export interface ReportResult {
  keys: number;
  files: number;
  bytes: number;
  seconds: number;
}

/**
 * Writes `index.html` and `keys/<key>.html` for every key into `outDir`. One key is in memory at a time:
 * time and memory grow linearly with the number of keys (docs in libs/report/README.md).
 */
export function writeReport(
  reader: StateReader,
  outDir: string,
  options: DetectOptions,
  generatedAt = new Date().toISOString(),
): ReportResult {
  const started = performance.now();
  const ids = reader.keyIds();
  const asOf = stateAsOf(reader, ids);
  const summary = reader.alertSummary();
  const suppressions = reader.suppressions() as Suppression[];
  const rows: FleetRow[] = [];
  let bytes = 0;
  const write = (path: string, html: string) => {
    const file = join(outDir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, html);
    bytes += Buffer.byteLength(html);
  };
  for (const id of ids) {
    const data = loadKeyData(reader, id, suppressions);
    if (data === null) continue;
    const e = explainKey(data, asOf, options);
    write(keyPagePath(id), keyPage(data, e, generatedAt));
    const alerts = summary.byKey.get(id);
    rows.push({
      id,
      owner: data.info?.owner ?? null,
      maxRisk: alerts?.maxRisk ?? 0,
      alerts: alerts?.alerts ?? 0,
      lastAlert: alerts?.last ?? null,
      calls: data.profile?.events ?? 0,
      lastSeen: e.baseline?.lastSeen ?? null,
      learning: e.status.learning,
      pastRotation: e.status.pastRotation,
      dormant: e.status.dormant,
      idleDays: e.status.idleDays,
    });
  }
  write(
    'index.html',
    indexPage({ generatedAt, asOf: new Date(asOf * 1000).toISOString(), rows, alertsByDayRule: summary.byDayRule }),
  );
  return { keys: rows.length, files: rows.length + 1, bytes, seconds: (performance.now() - started) / 1000 };
}
