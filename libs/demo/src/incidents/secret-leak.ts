import { AWS } from '../aws-actions.ts';
import { awsCall } from '../call.ts';
import { bucketTaggingParams, deploySequence, startBuildParams, taskDefinitionParams } from '../deploy.ts';
import { fakeAwsAccessKeyId, fakeAwsSecretAccessKey, fakeGithubPat } from '../fake-secrets.ts';
import { HEX } from '../rng.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';

/**
 * A deployment passes a secret as a plain environment variable, so it lands in the CloudTrail record's
 * requestParameters. One of a GitHub PAT in a CodeBuild override, an AWS key pair in an ECS task
 * definition, or a generic credential stored as an S3 bucket tag. The secrets are random, never real.
 */
export const secretLeak: Scenario = {
  kind: 'secret_in_request',
  detectors: ['secret_in_logs'],
  eligible: (key) => key.provider === 'aws' && key.role === 'deployer',
  inject({ key, window, dayIndex, rng }) {
    const start = busyMoment(key, window, dayIndex, rng);
    if (start === null) return null;
    const deploy = deploySequence(key, start, rng.int(40, 400), rng.pick(key.ips), rng);
    const commit = rng.chars(HEX, 40);
    // Drawn per story, not by ordinal: a small fleet has two secret incidents, and every variant must show up.
    const variant = rng.int(0, 2);
    const leaking =
      variant === 2
        ? awsCall(key, (deploy[4]?.ms ?? start) + 2000, AWS.s3PutBucketTagging, rng, { ip: deploy[0]?.ip ?? rng.pick(key.ips) })
        : deploy.find(
            (c) =>
              c.action.provider === 'aws' &&
              c.action.name === (variant === 0 ? AWS.codebuildStartBuild.name : AWS.ecsRegisterTaskDefinition.name),
          );
    if (leaking === undefined) return null;
    if (variant === 0) {
      leaking.params = startBuildParams(key, commit, [{ name: 'GITHUB_TOKEN', value: fakeGithubPat(rng) }]);
    } else if (variant === 1) {
      leaking.params = taskDefinitionParams(key, commit, [
        { name: 'AWS_ACCESS_KEY_ID', value: fakeAwsAccessKeyId(rng) },
        { name: 'AWS_SECRET_ACCESS_KEY', value: fakeAwsSecretAccessKey(rng) },
      ]);
    } else {
      // A sync tool's credential stored as a bucket tag: a generic name, an AWS-secret-shaped value.
      leaking.params = bucketTaggingParams(key, [
        { Key: 'team', Value: key.team },
        { Key: rng.pick(['sync-credentials', 'replication-secret', 'backup-auth']), Value: fakeAwsSecretAccessKey(rng) },
      ]);
    }
    const where = [
      'a GitHub token (ghp_…) in requestParameters.environmentVariablesOverride of codebuild:StartBuild',
      'an AWS secret access key in requestParameters.containerDefinitions[0].environment of ecs:RegisterTaskDefinition',
      'a 40-character secret as an S3 bucket tag value (requestParameters.Tagging.TagSet.Tag of s3:PutBucketTagging)',
    ][variant];
    // Only the leaking record is the incident; the rest of the deployment is the key's normal work.
    return {
      calls: [leaking],
      description: `Secret in an audit record: a deployment by ${key.name} (${key.keyId}) at ${isoSeconds(leaking.ms)} put ${where}.`,
      untaggedCalls: deploy.filter((c) => c !== leaking && c.action !== AWS.s3PutBucketTagging),
    };
  },
};
