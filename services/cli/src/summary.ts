import type { RunStats } from '@keywatch/pipeline';

/** The end-of-run summary on stderr: what was read, what was dropped and why, what alerted. */
export function formatStats(stats: RunStats, files: { alertsOut: string | null; deadLetter: string | null }): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const byRule = Object.entries(stats.alerts.byRule)
    .sort((a, b) => b[1] - a[1])
    .map(([rule, count]) => `${rule} ${count}`)
    .join(', ');
  const byReason = Object.entries(stats.deadLettered.byReason)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const lines = [
    `keywatch: ${n(stats.recordsRead)} records → ${n(stats.eventsNormalized)} events from ${n(stats.keys)} keys in ${stats.seconds.toFixed(1)} s`,
    `  alerts: ${n(stats.alerts.total)}${byRule ? ` (${byRule})` : ''}${stats.groupedFindings > 0 ? `; ${n(stats.groupedFindings)} repeated findings grouped into them` : ''}${files.alertsOut ? ` → ${files.alertsOut}` : ''}`,
    ...(stats.duplicateEvents > 0
      ? [`  duplicates: ${n(stats.duplicateEvents)} events their key had applied already (recognised by event id): skipped`]
      : []),
    ...(stats.lateEvents > 0
      ? [
          `  late: ${n(stats.lateEvents)} events came after newer calls of their key, beyond the lateness bound (--lateness): learned, not judged`,
        ]
      : []),
    ...(stats.skipped.total > 0
      ? [`  skipped: ${n(stats.skipped.total)} (${counts(stats.skipped.byReason)}): not calls made with a credential`]
      : []),
    ...(Object.keys(stats.missingFields).length > 0
      ? [`  events missing a field their source always logs: ${counts(stats.missingFields)} (dropped by a shipper?)`]
      : []),
    `  dead letters: ${n(stats.deadLettered.total)}${byReason ? ` (${byReason})` : ''}${files.deadLetter && stats.deadLettered.total > 0 ? ` → ${files.deadLetter}` : ''}`,
  ];
  return `${lines.join('\n')}\n`;
}

function counts(byKey: Record<string, number>): string {
  return Object.entries(byKey)
    .map(([key, count]) => `${key} ${count.toLocaleString('en-US')}`)
    .join(', ');
}
