import { AWS } from '../aws-actions.ts';
import { accessDenied } from '../aws-errors.ts';
import { awsCall } from '../call.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';

/** One denied call (a config parameter the bot is not allowed to read), then business as usual. */
export const singleDenial: Scenario = {
  kind: 'single_access_denied',
  detectors: [],
  eligible: (key) => key.provider === 'aws',
  inject({ key, window, dayIndex, rng }) {
    const start = busyMoment(key, window, dayIndex, rng);
    if (start === null) return null;
    const action = rng.pick([AWS.ssmGetParameter, AWS.s3GetObject]);
    const other = `/${key.environment}/shared/feature-flags`;
    const call = awsCall(key, start, action, rng, {
      error: accessDenied(action, key),
      ...(action === AWS.s3GetObject
        ? { bucket: `acme-shared-${key.environment}` }
        : { params: { name: other, withDecryption: true } }),
    });
    return {
      calls: [call],
      description: `${key.name} (${key.keyId}) got one AccessDenied on ${action.service}:${action.name} at ${isoSeconds(start)}.`,
    };
  },
};
