import type { Network } from './networks.ts';
import type { LocalDate } from './time.ts';
import type { SdkFamily } from './user-agents.ts';

/** When a bot is active. */
export type Rhythm = 'business' | 'nightly' | 'always-on' | 'ci';
/** What a bot does, which decides its action mix. */
export type Role = 'reader' | 'writer' | 'etl' | 'deployer' | 'github-release' | 'github-deps';
export type Provider = 'aws' | 'github';
export type Scope = 'read-only' | 'read-write';

/** The names of the things a key works on (bucket, table, repos …), for realistic request parameters. */
export interface KeyResources {
  bucket: string;
  table: string;
  queueUrl: string;
  topicArn: string;
  secretId: string;
  parameter: string;
  athenaWorkgroup: string;
  glueDatabase: string;
  ecsCluster: string;
  ecsService: string;
  ecrRepository: string;
  codebuildProject: string;
  githubOrg: string;
  githubRepos: string[];
}

/** One credential of the synthetic fleet and everything that shapes its traffic. */
export interface KeyProfile {
  index: number;
  provider: Provider;
  /** Public credential id as keywatch names it: the AWS access key id, or `token:<token_id>` for GitHub. */
  keyId: string;
  /** IAM user name, or GitHub actor login. */
  name: string;
  team: string;
  /** Deployment environment the key belongs to (`prod`, `staging` …). */
  environment: string;
  description: string;
  rhythm: Rhythm;
  role: Role;
  timezone: string;
  network: Network;
  /** The few fixed addresses the bot calls from (NAT gateways, runners, office egress). */
  ips: string[];
  sdk: SdkFamily;
  userAgent: string;
  /** AWS region the key's resources live in. */
  region: string;
  accountId: string;
  principalId: string;
  arn: string;
  /** Fraction of routine calls that fail (throttling, missing objects, denied). */
  failureRate: number;
  /** Activity level; its unit depends on the rhythm (calls per hour, calls per run, runs per day). */
  intensity: number;
  registered: boolean;
  scope: Scope;
  created: string;
  rotationDays: number;
  resources: KeyResources;
  /** GitHub only: numeric ids and token metadata. */
  github: { tokenId: number; actorId: number; tokenKind: string; hashedToken: string; repoIds: number[] } | null;
}

export interface AwsAction {
  provider: 'aws';
  service: string;
  name: string;
  readOnly: boolean;
  /** CloudTrail data event (S3 objects, DynamoDB items, SQS/SNS messages) rather than management event. */
  data: boolean;
}

export interface GithubAction {
  provider: 'github';
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Route template as GitHub logs it, e.g. `/repositories/:repository_id/contents/*path`. */
  route: string;
}

export type Action = AwsAction | GithubAction;

/** A failed call: the provider error code (AWS) or HTTP status (GitHub) and its message. */
export interface ApiError {
  code: string;
  message: string;
}

/** Marks a call as part of an injected incident or a labelled benign confounder (index into their lists). */
export interface Tag {
  kind: 'incident' | 'benign';
  index: number;
}

/** One API call made with a key: the provider-independent form, rendered to a raw record at the end. */
export interface Call {
  /** Whole seconds (CloudTrail's precision) for AWS, milliseconds for GitHub. */
  ms: number;
  key: KeyProfile;
  action: Action;
  ip: string;
  userAgent: string;
  region: string;
  /** AWS requestParameters; for GitHub the request path under `url_path`. */
  params: Record<string, unknown> | null;
  /** CloudTrail `resources` (S3 data events). */
  resources: Array<Record<string, string>> | null;
  error: ApiError | null;
  tag: Tag | null;
}

/** The UTC span of the dataset: whole days from `start`. */
export interface Window {
  start: LocalDate;
  startMs: number;
  endMs: number;
  days: number;
}
