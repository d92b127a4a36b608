import type { EcsAlert } from './alert.ts';
import { plainText } from './escape.ts';

const COLORS: Record<string, string> = { low: '36', medium: '33', high: '31', critical: '35' };

/** The alert as a few readable terminal lines. */
export function renderAlert(alert: EcsAlert, color: boolean): string {
  const sev = alert.keywatch.alert.severity;
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  // Every value is stripped of control and escape sequences: a user agent must not recolour or rewrite the terminal.
  const head = `${paint(COLORS[sev] ?? '0', sev.toUpperCase().padEnd(8))} ${String(alert.event.risk_score).padStart(3)}  ${paint('1', plainText(alert.rule.id).padEnd(18))} ${plainText(alert['@timestamp'])}`;
  const ids = alert.keywatch.evidence.event_ids;
  const tail = paint(
    '2',
    plainText(`alert ${alert.event.id} · event ${ids[0] ?? '-'}${ids.length > 1 ? ` (+${ids.length - 1})` : ''}`),
  );
  return `${head}\n  ${plainText(alert.message)}\n  ${tail}`;
}

/** One line for the final version of an alert that later findings joined. */
export function renderUpdate(alert: EcsAlert, color: boolean): string {
  const n = alert.keywatch.alert.count;
  const text = plainText(
    `  ↳ ${alert.rule.id} on ${alert.keywatch.key.id}: ${n} findings grouped into alert ${alert.event.id} (evidence: ${alert.keywatch.evidence.event_ids.length} event ids)`,
  );
  return color ? `\x1b[2m${text}\x1b[0m` : text;
}
