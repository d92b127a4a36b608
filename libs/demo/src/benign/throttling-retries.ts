import { throttled } from '../aws-errors.ts';
import { awsCall } from '../call.ts';
import { ROLE_MIXES } from '../mixes.ts';
import type { AwsAction, Call } from '../model.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';

/** A burst of throttling: the SDK retries with backoff a few times, then the call succeeds. */
export const throttlingRetries: Scenario = {
  kind: 'throttling_retries',
  detectors: [],
  eligible: (key) => key.provider === 'aws',
  inject({ key, window, dayIndex, rng }) {
    const start = busyMoment(key, window, dayIndex, rng);
    if (start === null) return null;
    const mix = ROLE_MIXES[key.role].map(([a]) => a).filter((a): a is AwsAction => a.provider === 'aws');
    const notS3 = mix.filter((a) => a.service !== 's3');
    const action = rng.pick(notS3.length > 0 ? notS3 : mix);
    const ip = rng.pick(key.ips);
    const retries = rng.int(3, 5);
    const calls: Call[] = [];
    let t = start;
    for (let i = 0; i < retries; i++) {
      calls.push(awsCall(key, t, action, rng, { ip, error: throttled(action) }));
      t += 2 ** i * 500; // SDK exponential backoff
    }
    calls.push(awsCall(key, t, action, rng, { ip }));
    return {
      calls,
      description: `${key.name} (${key.keyId}) was throttled on ${action.service}:${action.name} ${retries} times at ${isoSeconds(start)}, then succeeded.`,
    };
  },
};
