import { AWS } from '../aws-actions.ts';
import type { AwsAction } from '../model.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';
import { AttackScript } from './attack-steps.ts';

/** Calls a permission-enumeration tool tries; their denials carry the plain `AccessDenied` code. */
const PROBES_PLAIN_DENIAL: readonly AwsAction[] = [
  AWS.iamListUsers,
  AWS.iamListRoles,
  AWS.iamListAccessKeys,
  AWS.iamGetAccountAuthorizationDetails,
  AWS.iamListAttachedUserPolicies,
  AWS.s3ListBuckets,
  AWS.s3GetBucketPolicy,
];
/** Probes of services that answer `AccessDeniedException` / `Client.UnauthorizedOperation`. */
const PROBES_OTHER: readonly AwsAction[] = [
  AWS.ec2DescribeInstances,
  AWS.lambdaListFunctions,
  AWS.rdsDescribeDBInstances,
  AWS.secretsListSecrets,
  AWS.kmsListKeys,
  AWS.dynamodbListTables,
  AWS.ssmDescribeParameters,
  AWS.organizationsDescribeOrganization,
  AWS.cloudtrailDescribeTrails,
];

/**
 * Enumeration: a tool on the bot's own (compromised) host walks the API to learn what the key may do.
 * 30+ AccessDenied within a few minutes, from the usual address and client.
 */
export const enumeration: Scenario = {
  kind: 'permission_enumeration',
  detectors: ['failure_spike'],
  eligible: (key) => key.provider === 'aws',
  inject({ key, window, dayIndex, rng }) {
    const start = busyMoment(key, window, dayIndex, rng);
    if (start === null) return null;
    const s = new AttackScript(key, start, rng.pick(key.ips), key.userAgent, rng);
    const plainDenials = rng.int(30, 42);
    const probes = rng.shuffle([
      ...Array.from({ length: plainDenials }, () => ({ action: rng.pick(PROBES_PLAIN_DENIAL), denied: true })),
      ...Array.from({ length: rng.int(6, 14) }, () => ({ action: rng.pick(PROBES_OTHER), denied: rng.chance(0.8) })),
    ]);
    s.aws(AWS.stsGetCallerIdentity, [0, 0]);
    for (const p of probes) s.aws(p.action, [1, 5], p.denied);
    const failures = s.calls.filter((c) => c.error !== null).length;
    const minutes = Math.max(1, Math.round((s.t - start) / 60_000));
    return {
      calls: s.calls,
      description:
        `Permission enumeration: ${key.name} (${key.keyId}) made ${s.calls.length} calls across IAM, S3, EC2, Lambda, KMS … ` +
        `in ${minutes} minutes from ${isoSeconds(start)}, ${failures} of them denied (${plainDenials} AccessDenied), ` +
        `from its usual address and client.`,
    };
  },
};
