import type { Evaluation, Score } from './types.ts';

const LISTED = 10;

/** The evaluation as a plain-text table for the terminal. */
export function formatEvaluation(e: Evaluation): string {
  const header = ['detector', 'TP', 'FP', 'FN', 'precision', 'recall', 'F1'];
  const rows = [...Object.entries(e.perDetector).map(([d, s]) => row(d, s)), row('overall', e.overall)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(header), rule, ...rows.slice(0, -1).map(line), rule, line(rows[rows.length - 1] as string[]), ''];

  out.push(
    `incidents detected: ${e.incidentsDetected}/${e.incidents}`,
    `alerts: ${e.alerts} (${e.overall.tp} true, ${e.overall.fp} false, ${e.related} related to an incident by another rule)`,
    `alerts per 1000 key-days: ${e.alertsPer1000KeyDays.toFixed(2)}`,
    `false alerts per 1000 key-days: ${e.falseAlertsPer1000KeyDays.toFixed(2)}`,
  );
  const confounders = Object.entries(e.alertsOnConfounders);
  if (confounders.length > 0) {
    const width = Math.max(...confounders.map(([kind]) => kind.length));
    out.push('', 'alerts on benign confounders:');
    for (const [kind, n] of confounders) out.push(`  ${kind.padEnd(width)}  ${n}`);
  }
  if (e.missed.length > 0) {
    out.push('', 'missed:');
    for (const m of e.missed.slice(0, LISTED))
      out.push(`  ${m.incidentId} ${m.kind} on ${m.keyId}: no ${m.detectors.join(', ')}`);
    if (e.missed.length > LISTED) out.push(`  … and ${e.missed.length - LISTED} more`);
  }
  if (e.falseAlerts.length > 0) {
    out.push('', 'false alerts:');
    for (const f of e.falseAlerts.slice(0, LISTED)) out.push(`  ${f.ruleId} on ${f.keyId}: ${f.why}`);
    if (e.falseAlerts.length > LISTED) out.push(`  … and ${e.falseAlerts.length - LISTED} more`);
  }
  return out.join('\n');
}

function row(name: string, s: Score): string[] {
  return [name, String(s.tp), String(s.fp), String(s.fn), pct(s.precision), pct(s.recall), pct(s.f1)];
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
