import { throttled } from '../aws-errors.ts';
import { awsCall } from '../call.ts';
import { ROLE_MIXES } from '../mixes.ts';
import type { AwsAction, Call, Role } from '../model.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds, MINUTE_MS } from '../time.ts';

/** The SDKs' legacy retry mode: up to 4 retries after the first attempt. */
const MAX_ATTEMPTS = 5;

/**
 * A burst of throttling: a backlog (a queue that piled up, a retried batch) sends the key's work of the
 * next half hour to one rate-limited API at once (a table's provisioned capacity, an API quota). The
 * bot's workers get throttled one to four times per call and retry with backoff: dozens of
 * ThrottlingExceptions within minutes, no denial, and the work gets done. The backlog is the key's own
 * work, so its size follows the key's usual rate.
 */
export const throttlingBurst: Scenario = {
  kind: 'throttling_burst',
  detectors: [],
  eligible: (key) => key.provider === 'aws' && awsMix(key.role).length > 0,
  inject({ key, window, dayIndex, rng, routine }) {
    const start = busyMoment(key, window, dayIndex, rng);
    if (start === null) return null;
    const mix = awsMix(key.role);
    const notS3 = mix.filter((a) => a.service !== 's3');
    const action = rng.pick(notS3.length > 0 ? notS3 : mix);
    const ip = rng.pick(key.ips);
    const usualPerHour = routine.filter((c) => Math.abs(c.ms - start) < 30 * MINUTE_MS).length;
    const backlog = Math.max(10, Math.round((usualPerHour / 2) * rng.float(0.5, 1.5)));
    const spreadS = rng.int(3, 10) * 60;
    const calls: Call[] = [];
    for (let i = 0; i < backlog; i++) {
      let t = start + rng.int(0, spreadS) * 1000;
      const throttledAttempts = rng.int(1, MAX_ATTEMPTS - 1);
      for (let a = 0; a < throttledAttempts; a++) {
        calls.push(awsCall(key, t, action, rng, { ip, error: throttled(action) }));
        t += 2 ** a * 100 + rng.int(0, 2 ** a * 100); // exponential backoff with jitter
      }
      calls.push(awsCall(key, t, action, rng, { ip }));
    }
    calls.sort((a, b) => a.ms - b.ms);
    const failures = calls.filter((c) => c.error !== null).length;
    return {
      calls,
      description: `${key.name} (${key.keyId}) hit a rate limit on ${action.service}:${action.name} from ${isoSeconds(start)}: a backlog of ${backlog} calls (about ${usualPerHour} an hour is usual), ${failures} ${throttled(action).code} within ${spreadS / 60} minutes, then success.`,
    };
  },
};

function awsMix(role: Role): AwsAction[] {
  return ROLE_MIXES[role].map(([a]) => a).filter((a): a is AwsAction => a.provider === 'aws');
}
