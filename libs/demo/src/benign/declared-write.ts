import { AWS } from '../aws-actions.ts';
import { awsCall } from '../call.ts';
import type { Call } from '../model.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';

/**
 * A key that has only read so far, but is declared read-write, uploads a report. Its first write is
 * allowed by the registry: not a write-on-read-only.
 */
export const declaredReadWriteWrites: Scenario = {
  kind: 'declared_read_write_writes',
  detectors: [],
  eligible: (key) => key.provider === 'aws' && key.registered && key.scope === 'read-write' && key.role === 'reader',
  inject({ key, window, dayIndex, rng }) {
    const start = busyMoment(key, window, dayIndex, rng);
    if (start === null) return null;
    const ip = rng.pick(key.ips);
    const n = rng.int(1, 3);
    const calls: Call[] = [];
    for (let i = 0; i < n; i++) calls.push(awsCall(key, start + i * rng.int(1, 10) * 1000, AWS.s3PutObject, rng, { ip }));
    return {
      calls,
      description: `${key.name} (${key.keyId}), declared read-write, wrote for the first time (${n}× s3:PutObject) at ${isoSeconds(start)}.`,
    };
  },
};
