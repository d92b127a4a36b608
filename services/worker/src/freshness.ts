import type { Metrics } from '@keywatch/ops';
import type { Role } from './topology.ts';

/** Observes now − event time for each committed event of a stage (clock skew ahead of us counts as 0). */
export function freshness(stage: Role, metrics: Metrics): (eventTimesMs: number[]) => void {
  return (times) => {
    const now = Date.now();
    for (const time of times) {
      if (Number.isFinite(time)) metrics.eventFreshness.observe({ stage }, Math.max(0, now - time) / 1000);
    }
  };
}
