import { AWS } from '../aws-actions.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';
import { AttackScript, summarizeActions } from './attack-steps.ts';

/**
 * Exfiltration from inside: code running on the bot's host (a compromised dependency, a shell on the box)
 * copies the key's bucket or dumps its table with the bot's own SDK, at the time the bot runs. Hundreds
 * to thousands of reads in under an hour, from the usual address and client: only the volume is wrong.
 */
export const bulkExfiltration: Scenario = {
  kind: 'bulk_exfiltration',
  detectors: ['volume_spike'],
  eligible: (key) => key.provider === 'aws' && (key.role === 'reader' || key.role === 'writer' || key.role === 'etl'),
  inject({ key, window, dayIndex, rng }) {
    const start = busyMoment(key, window, dayIndex, rng);
    if (start === null) return null;
    const s = new AttackScript(key, start, rng.pick(key.ips), key.userAgent, rng);
    // Bucket and table sizes spread over an order of magnitude: log-uniform from 300 to 3000 objects/pages.
    const n = Math.round(300 * 10 ** rng.next());
    const fromTable = rng.chance(0.3);
    if (fromTable) {
      // A paginated Scan: each call returns one 1 MB page.
      for (let i = 0; i < n; i++) s.aws(AWS.dynamodbScan, [0, 2]);
    } else {
      const listings = Math.ceil(n / 1000) + 1;
      for (let i = 0; i < listings; i++) s.aws(AWS.s3ListObjects, [0, 2]);
      for (let i = 0; i < n; i++) s.aws(AWS.s3GetObject, [0, 1]);
    }
    const minutes = Math.max(1, Math.round((s.t - start) / 60_000));
    return {
      calls: s.calls,
      description:
        `Bulk exfiltration from the bot's own host: ${key.name} (${key.keyId}) made ${s.calls.length} reads in ${minutes} minutes ` +
        `from ${isoSeconds(start)} (${summarizeActions(s.calls)}) with its own client from its usual address, ` +
        `${fromTable ? `scanning table ${key.resources.table}` : `copying bucket ${key.resources.bucket}`}.`,
    };
  },
};
