import { AWS } from '../aws-actions.ts';
import { awsCall } from '../call.ts';
import type { Call } from '../model.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';
import { summarizeActions } from './attack-steps.ts';

/**
 * A key declared read-only writes: from its usual host and client, during its usual hours. The IAM
 * policy allowed more than the registry says; someone (or something) used that.
 */
export const writeOnReadOnly: Scenario = {
  kind: 'write_on_read_only',
  detectors: ['write_on_read_only'],
  eligible: (key) => key.provider === 'aws' && key.registered && key.scope === 'read-only',
  inject({ key, window, dayIndex, rng }) {
    const start = busyMoment(key, window, dayIndex, rng);
    if (start === null) return null;
    const writes = [AWS.s3PutObject, AWS.s3DeleteObject, AWS.dynamodbPutItem, AWS.s3PutObject];
    const n = rng.int(1, 4);
    const ip = rng.pick(key.ips);
    const calls: Call[] = [];
    for (let i = 0; i < n; i++)
      calls.push(awsCall(key, start + i * rng.int(2, 40) * 1000, writes[i] ?? AWS.s3PutObject, rng, { ip }));
    return {
      calls,
      description:
        `Write on a read-only key: ${key.name} (${key.keyId}), declared read-only by ${key.team}, made ${n} write call(s) ` +
        `at ${isoSeconds(start)} (${summarizeActions(calls)}) from its usual address ${ip}.`,
    };
  },
};
