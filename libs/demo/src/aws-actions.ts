import type { AwsAction, KeyProfile } from './model.ts';
import { HEX, type Rng } from './rng.ts';

function aws(service: string, name: string, readOnly: boolean, data = false): AwsAction {
  return { provider: 'aws', service, name, readOnly, data };
}

/** The AWS calls the demo uses. `readOnly` and data/management follow what CloudTrail records. */
export const AWS = {
  s3GetObject: aws('s3', 'GetObject', true, true),
  s3HeadObject: aws('s3', 'HeadObject', true, true),
  s3ListObjects: aws('s3', 'ListObjects', true, true),
  s3PutObject: aws('s3', 'PutObject', false, true),
  s3DeleteObject: aws('s3', 'DeleteObject', false, true),
  s3ListBuckets: aws('s3', 'ListBuckets', true),
  s3GetBucketPolicy: aws('s3', 'GetBucketPolicy', true),
  s3DeleteBucket: aws('s3', 'DeleteBucket', false),
  dynamodbQuery: aws('dynamodb', 'Query', true, true),
  dynamodbGetItem: aws('dynamodb', 'GetItem', true, true),
  dynamodbPutItem: aws('dynamodb', 'PutItem', false, true),
  dynamodbUpdateItem: aws('dynamodb', 'UpdateItem', false, true),
  dynamodbScan: aws('dynamodb', 'Scan', true, true),
  dynamodbListTables: aws('dynamodb', 'ListTables', true),
  sqsReceiveMessage: aws('sqs', 'ReceiveMessage', true, true),
  sqsDeleteMessage: aws('sqs', 'DeleteMessage', false, true),
  sqsSendMessage: aws('sqs', 'SendMessage', false, true),
  snsPublish: aws('sns', 'Publish', false, true),
  kmsDecrypt: aws('kms', 'Decrypt', true),
  kmsGenerateDataKey: aws('kms', 'GenerateDataKey', true),
  kmsListKeys: aws('kms', 'ListKeys', true),
  ssmGetParameter: aws('ssm', 'GetParameter', true),
  ssmDescribeParameters: aws('ssm', 'DescribeParameters', true),
  secretsGetSecretValue: aws('secretsmanager', 'GetSecretValue', true),
  secretsListSecrets: aws('secretsmanager', 'ListSecrets', true),
  athenaStartQueryExecution: aws('athena', 'StartQueryExecution', false),
  athenaGetQueryExecution: aws('athena', 'GetQueryExecution', true),
  glueGetTable: aws('glue', 'GetTable', true),
  stsGetCallerIdentity: aws('sts', 'GetCallerIdentity', true),
  stsAssumeRole: aws('sts', 'AssumeRole', true),
  // CloudTrail records GetFederationToken with readOnly false.
  stsGetFederationToken: aws('sts', 'GetFederationToken', false),
  secretsPutSecretValue: aws('secretsmanager', 'PutSecretValue', false),
  dynamodbTransactWriteItems: aws('dynamodb', 'TransactWriteItems', false, true),
  ecsListTasks: aws('ecs', 'ListTasks', true),
  s3PutBucketTagging: aws('s3', 'PutBucketTagging', false),
  iamListUsers: aws('iam', 'ListUsers', true),
  iamListRoles: aws('iam', 'ListRoles', true),
  iamListAttachedUserPolicies: aws('iam', 'ListAttachedUserPolicies', true),
  iamGetAccountAuthorizationDetails: aws('iam', 'GetAccountAuthorizationDetails', true),
  iamListAccessKeys: aws('iam', 'ListAccessKeys', true),
  iamCreateUser: aws('iam', 'CreateUser', false),
  iamCreateAccessKey: aws('iam', 'CreateAccessKey', false),
  iamAttachUserPolicy: aws('iam', 'AttachUserPolicy', false),
  ec2DescribeInstances: aws('ec2', 'DescribeInstances', true),
  ec2DescribeRegions: aws('ec2', 'DescribeRegions', true),
  ec2DescribeSecurityGroups: aws('ec2', 'DescribeSecurityGroups', true),
  ec2RunInstances: aws('ec2', 'RunInstances', false),
  lambdaListFunctions: aws('lambda', 'ListFunctions20150331', true),
  rdsDescribeDBInstances: aws('rds', 'DescribeDBInstances', true),
  cloudtrailDescribeTrails: aws('cloudtrail', 'DescribeTrails', true),
  organizationsDescribeOrganization: aws('organizations', 'DescribeOrganization', true),
  ecrGetAuthorizationToken: aws('ecr', 'GetAuthorizationToken', true),
  ecrInitiateLayerUpload: aws('ecr', 'InitiateLayerUpload', false),
  ecrCompleteLayerUpload: aws('ecr', 'CompleteLayerUpload', false),
  ecrPutImage: aws('ecr', 'PutImage', false),
  ecsRegisterTaskDefinition: aws('ecs', 'RegisterTaskDefinition', false),
  ecsUpdateService: aws('ecs', 'UpdateService', false),
  ecsDescribeServices: aws('ecs', 'DescribeServices', true),
  codebuildStartBuild: aws('codebuild', 'StartBuild', false),
  codebuildBatchGetBuilds: aws('codebuild', 'BatchGetBuilds', true),
} as const satisfies Record<string, AwsAction>;

/** IAM and STS (global endpoint) calls are recorded in us-east-1 whatever region the caller uses. */
export function regionOf(action: AwsAction, keyRegion: string): string {
  return action.service === 'iam' || action.service === 'sts' || action.service === 'organizations' ? 'us-east-1' : keyRegion;
}

export function eventSource(action: AwsAction): string {
  return `${action.service}.amazonaws.com`;
}

export interface AwsRequest {
  params: Record<string, unknown> | null;
  resources: Array<Record<string, string>> | null;
}

const OBJECT_PREFIXES = ['exports', 'reports', 'incoming', 'processed', 'snapshots'];

function objectKey(rng: Rng): string {
  const day = String(rng.int(1, 28)).padStart(2, '0');
  return `${rng.pick(OBJECT_PREFIXES)}/2026/03/${day}/part-${rng.chars(HEX, 8)}.json.gz`;
}

/** Small, realistic requestParameters for a call (and `resources` for S3 object calls). */
export function awsRequest(action: AwsAction, key: KeyProfile, rng: Rng, bucket = key.resources.bucket): AwsRequest {
  const r = key.resources;
  const host = `${bucket}.s3.${key.region}.amazonaws.com`;
  const bucketArn = `arn:aws:s3:::${bucket}`;
  switch (`${action.service}:${action.name}`) {
    case 's3:GetObject':
    case 's3:HeadObject':
    case 's3:PutObject':
    case 's3:DeleteObject': {
      const k = objectKey(rng);
      return {
        params: { bucketName: bucket, Host: host, key: k },
        resources: [
          { type: 'AWS::S3::Object', ARN: `${bucketArn}/${k}` },
          { accountId: key.accountId, type: 'AWS::S3::Bucket', ARN: bucketArn },
        ],
      };
    }
    case 's3:ListObjects':
      return {
        params: { bucketName: bucket, Host: host, 'list-type': '2', prefix: `${rng.pick(OBJECT_PREFIXES)}/`, 'max-keys': '1000' },
        resources: [{ accountId: key.accountId, type: 'AWS::S3::Bucket', ARN: bucketArn }],
      };
    case 's3:GetBucketPolicy':
    case 's3:DeleteBucket':
      return { params: { bucketName: bucket, Host: host }, resources: null };
    case 's3:ListBuckets':
      return { params: { Host: `s3.${key.region}.amazonaws.com` }, resources: null };
    case 'dynamodb:Query':
    case 'dynamodb:GetItem':
    case 'dynamodb:PutItem':
    case 'dynamodb:UpdateItem':
      return { params: { tableName: r.table }, resources: null };
    case 'dynamodb:Scan':
      return { params: { tableName: r.table, limit: 1000 }, resources: null };
    case 'sqs:ReceiveMessage':
      return { params: { queueUrl: r.queueUrl, maxNumberOfMessages: 10, waitTimeSeconds: 20 }, resources: null };
    case 'sqs:DeleteMessage':
    case 'sqs:SendMessage':
      return { params: { queueUrl: r.queueUrl }, resources: null };
    case 'sns:Publish':
      return { params: { topicArn: r.topicArn }, resources: null };
    case 'kms:Decrypt':
      return { params: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, resources: null };
    case 'kms:GenerateDataKey':
      return { params: { keyId: `alias/${key.name}`, keySpec: 'AES_256' }, resources: null };
    case 'ssm:GetParameter':
      return { params: { name: r.parameter, withDecryption: true }, resources: null };
    case 'secretsmanager:GetSecretValue':
      return { params: { secretId: r.secretId }, resources: null };
    case 'athena:StartQueryExecution':
      return {
        params: { workGroup: r.athenaWorkgroup, queryExecutionContext: { database: r.glueDatabase } },
        resources: null,
      };
    case 'athena:GetQueryExecution':
      return { params: { queryExecutionId: rng.uuid() }, resources: null };
    case 'glue:GetTable':
      return { params: { databaseName: r.glueDatabase, name: rng.pick(['events', 'orders', 'sessions']) }, resources: null };
    case 'iam:ListAttachedUserPolicies':
    case 'iam:ListAccessKeys':
      return { params: { userName: key.name }, resources: null };
    case 'iam:CreateUser':
    case 'iam:CreateAccessKey':
      return { params: { userName: rng.pick(['svc-backup', 'ops-support', 'monitoring-agent']) }, resources: null };
    case 'iam:AttachUserPolicy':
      return {
        params: { userName: 'ops-support', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        resources: null,
      };
    case 'ec2:RunInstances':
      return {
        params: {
          instancesSet: { items: [{ imageId: `ami-0${rng.chars(HEX, 16)}`, minCount: 10, maxCount: 10 }] },
          instanceType: rng.pick(['c5.24xlarge', 'p3.16xlarge', 'g4dn.12xlarge']),
        },
        resources: null,
      };
    case 'ecr:GetAuthorizationToken':
      return { params: null, resources: null };
    case 'ecr:InitiateLayerUpload':
    case 'ecr:CompleteLayerUpload':
    case 'ecr:PutImage':
      return { params: { repositoryName: r.ecrRepository, registryId: key.accountId }, resources: null };
    case 'ecs:DescribeServices':
      return { params: { cluster: r.ecsCluster, services: [r.ecsService] }, resources: null };
    case 'codebuild:BatchGetBuilds':
      return { params: { ids: [`${r.codebuildProject}:${rng.uuid()}`] }, resources: null };
    default:
      return { params: null, resources: null };
  }
}
