import { AWS } from '../aws-actions.ts';
import { deploySequence, startBuildParams, taskDefinitionParams } from '../deploy.ts';
import { fakeAwsAccessKeyId, fakeAwsSecretAccessKey, fakeGithubPat } from '../fake-secrets.ts';
import { HEX } from '../rng.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';

/**
 * A deployment passes a secret as a plain environment variable, so it lands in the CloudTrail record's
 * requestParameters. Alternates between a GitHub PAT in a CodeBuild override and an AWS key pair in an
 * ECS task definition. The secrets are random, never real.
 */
export const secretLeak: Scenario = {
  kind: 'secret_in_request',
  detectors: ['secret_in_logs'],
  eligible: (key) => key.provider === 'aws' && key.role === 'deployer',
  inject({ key, window, dayIndex, rng, ordinal }) {
    const start = busyMoment(key, window, dayIndex, rng);
    if (start === null) return null;
    const deploy = deploySequence(key, start, rng.int(40, 400), rng.pick(key.ips), rng);
    const commit = rng.chars(HEX, 40);
    const viaCodeBuild = ordinal % 2 === 0;
    const leaking = deploy.find(
      (c) =>
        c.action.provider === 'aws' &&
        c.action.name === (viaCodeBuild ? AWS.codebuildStartBuild.name : AWS.ecsRegisterTaskDefinition.name),
    );
    if (leaking === undefined) return null;
    leaking.params = viaCodeBuild
      ? startBuildParams(key, commit, [{ name: 'GITHUB_TOKEN', value: fakeGithubPat(rng) }])
      : taskDefinitionParams(key, commit, [
          { name: 'AWS_ACCESS_KEY_ID', value: fakeAwsAccessKeyId(rng) },
          { name: 'AWS_SECRET_ACCESS_KEY', value: fakeAwsSecretAccessKey(rng) },
        ]);
    const where = viaCodeBuild
      ? 'a GitHub token (ghp_…) in requestParameters.environmentVariablesOverride of codebuild:StartBuild'
      : 'an AWS secret access key in requestParameters.containerDefinitions[0].environment of ecs:RegisterTaskDefinition';
    // Only the leaking record is the incident; the rest of the deployment is the key's normal work.
    return {
      calls: [leaking],
      description: `Secret in an audit record: a deployment by ${key.name} (${key.keyId}) at ${isoSeconds(leaking.ms)} put ${where}.`,
      untaggedCalls: deploy.filter((c) => c !== leaking),
    };
  },
};
