import { AWS } from './aws-actions.ts';
import { awsCall, githubCall } from './call.ts';
import { GITHUB } from './github-actions.ts';
import type { Call, KeyProfile } from './model.ts';
import { HEX, type Rng } from './rng.ts';

/** An environment variable as CodeBuild and ECS log them. */
export interface EnvVar {
  name: string;
  value: string;
}

export function startBuildParams(key: KeyProfile, commit: string, extraEnv: EnvVar[] = []): Record<string, unknown> {
  const env = [{ name: 'DEPLOY_ENV', value: key.environment }, { name: 'IMAGE_TAG', value: commit.slice(0, 7) }, ...extraEnv];
  return {
    projectName: key.resources.codebuildProject,
    sourceVersion: commit,
    environmentVariablesOverride: env.map((e) => ({ ...e, type: 'PLAINTEXT' })),
  };
}

export function taskDefinitionParams(key: KeyProfile, commit: string, extraEnv: EnvVar[] = []): Record<string, unknown> {
  const r = key.resources;
  return {
    family: r.ecsService,
    containerDefinitions: [
      {
        name: r.ecsService,
        image: `${key.accountId}.dkr.ecr.${key.region}.amazonaws.com/${r.ecrRepository}:${commit.slice(0, 7)}`,
        essential: true,
        environment: [{ name: 'NODE_ENV', value: 'production' }, { name: 'LOG_LEVEL', value: 'info' }, ...extraEnv],
      },
    ],
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '512',
    memory: '1024',
  };
}

/** An S3 tag as CloudTrail logs PutBucketTagging. */
export interface Tag {
  Key: string;
  Value: string;
}

export function bucketTaggingParams(key: KeyProfile, tags: Tag[]): Record<string, unknown> {
  const bucket = key.resources.bucket;
  return {
    bucketName: bucket,
    Host: `${bucket}.s3.${key.region}.amazonaws.com`,
    tagging: '',
    Tagging: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', TagSet: { Tag: tags } },
  };
}

function buildTags(key: KeyProfile, commit: string, rng: Rng): Tag[] {
  return [
    { Key: 'git-commit', Value: commit },
    { Key: 'build-id', Value: rng.uuid() },
    { Key: 'kms-key-id', Value: rng.uuid() },
    { Key: 'team', Value: key.team },
  ];
}

/**
 * One CI deployment: push the image, run the build, roll the ECS service, poll until stable. Calls a few
 * seconds apart from one runner, the way a pipeline script makes them.
 */
export function deploySequence(key: KeyProfile, startMs: number, revision: number, ip: string, rng: Rng): Call[] {
  const commit = rng.chars(HEX, 40);
  let t = startMs;
  const calls: Call[] = [];
  // Some pipelines set AWS_EXECUTION_ENV to their tool and run id: a fresh UUID in the user agent per run.
  const userAgent = key.traits.runId
    ? `${key.userAgent} exec-env/${key.resources.codebuildProject}-pipeline_${rng.uuid()}`
    : key.userAgent;
  const step = (action: (typeof AWS)[keyof typeof AWS], params?: Record<string, unknown>, gapS: [number, number] = [1, 6]) => {
    t += rng.int(gapS[0], gapS[1]) * 1000;
    calls.push(awsCall(key, t, action, rng, params === undefined ? { ip, userAgent } : { ip, userAgent, params }));
  };
  step(AWS.stsGetCallerIdentity);
  step(AWS.ecrGetAuthorizationToken);
  const layers = rng.int(1, 3);
  for (let i = 0; i < layers; i++) {
    step(AWS.ecrInitiateLayerUpload, undefined, [2, 10]);
    step(AWS.ecrCompleteLayerUpload, undefined, [5, 40]);
  }
  step(AWS.ecrPutImage);
  step(AWS.s3PutObject);
  // Half the pipelines tag the artefact bucket with the build: a commit SHA, a build UUID, the KMS key id.
  if (rng.chance(0.5)) step(AWS.s3PutBucketTagging, bucketTaggingParams(key, buildTags(key, commit, rng)));
  step(AWS.codebuildStartBuild, startBuildParams(key, commit));
  const buildPolls = rng.int(3, 8);
  for (let i = 0; i < buildPolls; i++) step(AWS.codebuildBatchGetBuilds, undefined, [15, 30]);
  step(AWS.ecsRegisterTaskDefinition, taskDefinitionParams(key, commit));
  step(AWS.ecsUpdateService, {
    cluster: key.resources.ecsCluster,
    service: key.resources.ecsService,
    taskDefinition: `${key.resources.ecsService}:${revision}`,
  });
  const servicePolls = rng.int(3, 10);
  for (let i = 0; i < servicePolls; i++) step(AWS.ecsDescribeServices, undefined, [10, 20]);
  return calls;
}

/** One release by a GitHub bot: look at the latest release, tag the head, publish the release. */
export function releaseSequence(key: KeyProfile, startMs: number, ip: string, rng: Rng): Call[] {
  const repo = rng.pick(key.resources.githubRepos);
  let t = startMs;
  const actions = [
    GITHUB.latestRelease,
    GITHUB.getRef,
    GITHUB.getContents,
    GITHUB.createRef,
    GITHUB.createRelease,
    GITHUB.getRepo,
  ];
  return actions.map((action) => {
    t += rng.int(400, 4000);
    return githubCall(key, t, action, rng, { ip, repo });
  });
}
