import { AWS } from '../aws-actions.ts';
import { routineCall } from '../mixes.ts';
import type { AwsAction, Call } from '../model.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { DAY_MS, isoSeconds } from '../time.ts';

/** Reads a release commonly adds beside a bot's work: decrypting, reading config and secrets, checking objects. */
const NEW_READS: readonly AwsAction[] = [
  AWS.kmsDecrypt,
  AWS.kmsGenerateDataKey,
  AWS.ssmGetParameter,
  AWS.secretsGetSecretValue,
  AWS.s3HeadObject,
  AWS.dynamodbGetItem,
  AWS.dynamodbQuery,
  AWS.stsGetCallerIdentity,
];

/**
 * A release adds an API call to the bot's work: from a moment it is working, one in ten to every one of its
 * calls (log-uniform, drawn per story) comes with a call of a read it never made before (a KMS decrypt, a
 * parameter or secret read, a head request before each read), from its usual host and client, for the rest of
 * the window. The new action's calls on its first day are the label; later days are everyday traffic.
 */
export const newApiAdopted: Scenario = {
  kind: 'new_api_adopted',
  detectors: [],
  eligible: (key) => key.provider === 'aws' && key.role !== 'deployer',
  inject({ key, window, dayIndex, rng, routine }) {
    const start = busyMoment(key, window, dayIndex, rng);
    if (start === null) return null;
    const unused = NEW_READS.filter((a) => !routine.some((c) => c.action === a));
    if (unused.length === 0) return null;
    const action = rng.pick(unused);
    const share = 0.1 * 10 ** rng.next();
    const firstDay: Call[] = [];
    const later: Call[] = [];
    for (const c of routine) {
      if (c.ms < start || !rng.chance(share)) continue;
      const call = routineCall(key, c.ms + rng.int(0, 2000), rng, action);
      (call.ms < start + DAY_MS ? firstDay : later).push(call);
    }
    if (firstDay.length === 0) return null;
    firstDay.sort((a, b) => a.ms - b.ms);
    return {
      calls: firstDay,
      untaggedCalls: later,
      description:
        `${key.name} (${key.keyId}) started calling ${action.service}:${action.name}, which it never called before, ` +
        `from ${isoSeconds(start)} beside ${Math.round(share * 100)}% of its usual calls (a release added it): ` +
        `${firstDay.length} calls on the first day.`,
    };
  },
};
