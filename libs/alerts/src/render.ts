import type { EcsAlert } from './alert.ts';

const COLORS: Record<string, string> = { low: '36', medium: '33', high: '31', critical: '35' };

/** The alert as a few readable terminal lines. */
export function renderAlert(alert: EcsAlert, color: boolean): string {
  const sev = alert.keywatch.alert.severity;
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const head = `${paint(COLORS[sev] ?? '0', sev.toUpperCase().padEnd(8))} ${String(alert.event.risk_score).padStart(3)}  ${paint('1', alert.rule.id.padEnd(18))} ${alert['@timestamp']}`;
  const ids = alert.keywatch.evidence.event_ids;
  const tail = paint('2', `alert ${alert.event.id} · event ${ids[0] ?? '-'}${ids.length > 1 ? ` (+${ids.length - 1})` : ''}`);
  return `${head}\n  ${alert.message}\n  ${tail}`;
}

/** One line for the final version of an alert that later findings joined. */
export function renderUpdate(alert: EcsAlert, color: boolean): string {
  const n = alert.keywatch.alert.count;
  const text = `  ↳ ${alert.rule.id} on ${alert.keywatch.key.id}: ${n} findings grouped into alert ${alert.event.id} (evidence: ${alert.keywatch.evidence.event_ids.length} event ids)`;
  return color ? `\x1b[2m${text}\x1b[0m` : text;
}
