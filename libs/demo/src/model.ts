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

/** Which of the fleet's benign behaviours a key shows (drawn per key from the seed's FleetBehaviour). */
export interface KeyTraits {
  /** Works in sessions: bursts of calls, quiet in between (over-dispersed hourly counts). */
  bursty: boolean;
  /** Business-hours key whose on-call engineer sometimes makes a few daytime calls on weekends. */
  onCall: boolean;
  /** `low`: a handful of calls a day; `intermittent`: active on some days only. */
  volume: 'normal' | 'low' | 'intermittent';
  /** Pauses for 10–20 days somewhere in the window, then comes back from its usual place. */
  pause: boolean;
  /** Gets a newer SDK version during the window. */
  sdkUpgrade: boolean;
  /** CloudTrail writes its S3 data events' user agent in brackets. */
  bracketedS3: boolean;
  /** aws-cli appends the per-call command to its user agent. */
  cliCommand: boolean;
  /** Its CI tool tags the user agent with a per-run UUID. */
  runId: boolean;
  /** Assumes roles / gets federation tokens: responseElements.credentials.sessionToken in its records. */
  sts: boolean;
  /** Its writes carry idempotency tokens (clientRequestToken). */
  idempotency: boolean;
  /** Pages through listings (nextToken, continuation-token). */
  pagination: boolean;
  /** The seed's intensities as they apply to this key (see FleetBehaviour). */
  lateFinish: { dayShare: number; maxMinutes: number };
  weekend: { dayShare: number; maxCalls: number };
  sessionSigma: number;
  activeDayShare: number;
}

/** A second region a cloud workload runs in, at the same time as its first. */
export interface SecondHome {
  network: Network;
  ips: string[];
  region: string;
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
  /** Business and CI keys: the team's usual working day in local minutes (declared hours derive from it). */
  workday: { startMinute: number; endMinute: number };
  traits: KeyTraits;
  secondHome: SecondHome | null;
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
  /** CloudTrail responseElements (STS credentials, created resources); null for most calls. */
  response?: Record<string, unknown> | null;
  /** The benign fleet behaviour this call shows (`late_finish`, `sts_session_token` …), for the labels. */
  behaviour?: string;
  tag: Tag | null;
}

/** The UTC span of the dataset: whole days from `start`. */
export interface Window {
  start: LocalDate;
  startMs: number;
  endMs: number;
  days: number;
}
