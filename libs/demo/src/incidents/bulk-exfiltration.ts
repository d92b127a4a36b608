import { AWS } from '../aws-actions.ts';
import type { Call } from '../model.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { HOUR_MS, isoSeconds } from '../time.ts';
import { AttackScript, summarizeActions } from './attack-steps.ts';

/**
 * Exfiltration from inside: code running on the bot's host (a compromised dependency, a shell on the box)
 * copies the key's bucket or dumps its table with the bot's own SDK, at the time the bot runs: 10-50 times the key's usual hourly volume within an hour, from the usual address and client: only the volume is wrong.
 */
export const bulkExfiltration: Scenario = {
  kind: 'bulk_exfiltration',
  detectors: ['volume_spike'],
  eligible: (key) => key.provider === 'aws' && (key.role === 'reader' || key.role === 'writer' || key.role === 'etl'),
  inject({ key, window, dayIndex, rng, routine }) {
    const start = busyMoment(key, window, dayIndex, rng);
    if (start === null) return null;
    const s = new AttackScript(key, start, rng.pick(key.ips), key.userAgent, rng);
    // 10-50 times what the key usually makes in an hour it works (log-uniform), at least a few dozen reads,
    // over 10-50 minutes.
    const usual = usualHourlyVolume(routine);
    const n = Math.max(30, Math.round(usual * 10 * 5 ** rng.next()));
    const spreadS = rng.int(10, 50) * 60;
    const gap: [number, number] = [0, Math.max(1, Math.round((2 * spreadS) / n))];
    const fromTable = rng.chance(0.3);
    if (fromTable) {
      // A paginated Scan: each call returns one 1 MB page.
      for (let i = 0; i < n; i++) s.aws(AWS.dynamodbScan, gap);
    } else {
      const listings = Math.ceil(n / 1000) + 1;
      for (let i = 0; i < listings; i++) s.aws(AWS.s3ListObjects, [0, 2]);
      for (let i = 0; i < n; i++) s.aws(AWS.s3GetObject, gap);
    }
    const minutes = Math.max(1, Math.round((s.t - start) / 60_000));
    return {
      calls: s.calls,
      description:
        `Bulk exfiltration from the bot's own host: ${key.name} (${key.keyId}) made ${s.calls.length} reads in ${minutes} minutes ` +
        `(it usually makes ${usual.toFixed(1)} calls in an hour it works) ` +
        `from ${isoSeconds(start)} (${summarizeActions(s.calls)}) with its own client from its usual address, ` +
        `${fromTable ? `scanning table ${key.resources.table}` : `copying bucket ${key.resources.bucket}`}.`,
    };
  },
};

/** Mean calls per clock hour over the hours the key made any call. */
export function usualHourlyVolume(calls: readonly Call[]): number {
  const hours = new Set(calls.map((c) => Math.floor(c.ms / HOUR_MS)));
  return hours.size === 0 ? 0 : calls.length / hours.size;
}
