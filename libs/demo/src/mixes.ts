import { AWS } from './aws-actions.ts';
import { backgroundFailure } from './aws-errors.ts';
import { awsCall, githubCall } from './call.ts';
import { GITHUB } from './github-actions.ts';
import type { Action, Call, KeyProfile, Role } from './model.ts';
import type { Rng } from './rng.ts';

/** Each role's everyday calls and how often it makes them. Readers only ever read. */
export const ROLE_MIXES: Record<Role, ReadonlyArray<readonly [Action, number]>> = {
  reader: [
    [AWS.s3GetObject, 35],
    [AWS.s3ListObjects, 10],
    [AWS.s3HeadObject, 5],
    [AWS.dynamodbQuery, 20],
    [AWS.dynamodbGetItem, 15],
    [AWS.kmsDecrypt, 8],
    [AWS.ssmGetParameter, 4],
    [AWS.secretsGetSecretValue, 3],
  ],
  writer: [
    [AWS.s3GetObject, 12],
    [AWS.s3PutObject, 14],
    [AWS.sqsReceiveMessage, 18],
    [AWS.sqsDeleteMessage, 14],
    [AWS.sqsSendMessage, 12],
    [AWS.dynamodbPutItem, 10],
    [AWS.dynamodbUpdateItem, 6],
    [AWS.dynamodbQuery, 8],
    [AWS.kmsGenerateDataKey, 4],
    [AWS.snsPublish, 2],
  ],
  etl: [
    [AWS.s3ListObjects, 6],
    [AWS.s3GetObject, 50],
    [AWS.s3PutObject, 25],
    [AWS.athenaStartQueryExecution, 4],
    [AWS.athenaGetQueryExecution, 10],
    [AWS.glueGetTable, 5],
  ],
  // Deployers mostly run scripted sequences (deploy.ts); this is their between-steps polling.
  deployer: [
    [AWS.ecsDescribeServices, 6],
    [AWS.codebuildBatchGetBuilds, 4],
    [AWS.ecrGetAuthorizationToken, 1],
  ],
  'github-release': [
    [GITHUB.latestRelease, 4],
    [GITHUB.getRef, 3],
    [GITHUB.getContents, 2],
  ],
  'github-deps': [
    [GITHUB.getContents, 8],
    [GITHUB.listPulls, 4],
    [GITHUB.listBranches, 2],
    [GITHUB.getRef, 1],
    [GITHUB.createPull, 0.3],
  ],
};

/** Failures a healthy GitHub integration sees now and then. */
const GITHUB_BACKGROUND_FAILURES = [
  { code: '404', message: 'Not Found' },
  { code: '409', message: 'Git Repository is empty.' },
  { code: '502', message: 'Server Error' },
] as const;

/** One everyday call of the key at `ms`, from its home addresses, failing at its background rate. */
export function routineCall(key: KeyProfile, ms: number, rng: Rng, action: Action = rng.weighted(ROLE_MIXES[key.role])): Call {
  const fails = rng.chance(key.failureRate);
  if (action.provider === 'github') {
    return githubCall(key, ms, action, rng, { error: fails ? { ...rng.pick(GITHUB_BACKGROUND_FAILURES) } : null });
  }
  return awsCall(key, ms, action, rng, { error: fails ? backgroundFailure(action, key, rng) : null });
}
