/**
 * The next digest time after `now`: digests go out on fixed boundaries (every hour on the hour for 3600 s),
 * so alerts that arrive within one interval share one message, across restarts too.
 */
export function nextDigestAt(now: number, intervalMs: number): number {
  return Math.floor(now / intervalMs) * intervalMs + intervalMs;
}
