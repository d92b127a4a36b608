import type { FleetBehaviour } from './behaviour.ts';
import type { KeyProfile, KeyResources, KeyTraits, Provider, Rhythm, Role, Scope, SecondHome } from './model.ts';
import { HOME_NETWORKS, type Network } from './networks.ts';
import { AWS_ID_CHARS, DIGITS, type Rng } from './rng.ts';
import { addDays, formatDate, type LocalDate } from './time.ts';
import { githubUserAgent, type SdkFamily, sdkUserAgent } from './user-agents.ts';

/** A kind of bot in the fleet. The fleet cycles through these, so small fleets still cover every scenario. */
interface Archetype {
  base: string;
  team: string;
  description: string;
  provider: Provider;
  rhythm: Rhythm;
  role: Role;
  timezone: string;
  network: Network;
  sdk: SdkFamily;
  region: string;
  registered: boolean;
  scope: Scope;
}

const N = HOME_NETWORKS;
// biome-ignore format: one archetype per line reads as a table
const ARCHETYPES: readonly Archetype[] = [
  { base: 'orders-api', team: 'orders', description: 'Order service backend', provider: 'aws', rhythm: 'business', role: 'writer', timezone: 'Europe/Berlin', network: N.awsEuCentral1, sdk: 'java', region: 'eu-central-1', registered: true, scope: 'read-write' },
  { base: 'report-reader', team: 'analytics', description: 'Reads daily reports for the BI dashboards', provider: 'aws', rhythm: 'business', role: 'reader', timezone: 'America/New_York', network: N.awsUsEast1, sdk: 'python', region: 'us-east-1', registered: true, scope: 'read-only' },
  { base: 'etl-nightly', team: 'data', description: 'Nightly ETL into the data lake', provider: 'aws', rhythm: 'nightly', role: 'etl', timezone: 'UTC', network: N.awsUsEast1, sdk: 'python', region: 'us-east-1', registered: false, scope: 'read-write' },
  { base: 'deploy-bot', team: 'platform', description: 'CI deployer for the Tokyo services', provider: 'aws', rhythm: 'ci', role: 'deployer', timezone: 'Asia/Tokyo', network: N.awsApNortheast1, sdk: 'cli', region: 'ap-northeast-1', registered: true, scope: 'read-write' },
  { base: 'events-consumer', team: 'orders', description: 'Consumes order events around the clock', provider: 'aws', rhythm: 'always-on', role: 'writer', timezone: 'UTC', network: N.awsEuWest1, sdk: 'node', region: 'eu-west-1', registered: false, scope: 'read-write' },
  { base: 'catalog-sync', team: 'catalog', description: 'Syncs the product catalogue for the shop front', provider: 'aws', rhythm: 'business', role: 'reader', timezone: 'Asia/Tokyo', network: N.awsApNortheast1, sdk: 'go', region: 'ap-northeast-1', registered: true, scope: 'read-only' },
  { base: 'metrics-exporter', team: 'sre', description: 'Exports business metrics to the monitoring stack (runs on GCP)', provider: 'aws', rhythm: 'always-on', role: 'reader', timezone: 'UTC', network: N.gcpUsCentral1, sdk: 'go', region: 'us-east-1', registered: false, scope: 'read-write' },
  { base: 'backup-nightly', team: 'platform', description: 'Nightly backups of the Frankfurt databases', provider: 'aws', rhythm: 'nightly', role: 'etl', timezone: 'UTC', network: N.awsEuCentral1, sdk: 'cli', region: 'eu-central-1', registered: true, scope: 'read-write' },
  { base: 'finance-export', team: 'finance', description: 'Finance exports run from the New York office', provider: 'aws', rhythm: 'business', role: 'reader', timezone: 'America/New_York', network: N.officeUsVerizon, sdk: 'python', region: 'us-east-1', registered: true, scope: 'read-write' },
  { base: 'release-bot', team: 'platform', description: 'Tags and publishes releases', provider: 'github', rhythm: 'ci', role: 'github-release', timezone: 'America/New_York', network: N.awsUsEast1, sdk: 'node', region: 'us-east-1', registered: true, scope: 'read-write' },
  { base: 'image-resizer', team: 'media', description: 'Resizes uploaded images', provider: 'aws', rhythm: 'always-on', role: 'writer', timezone: 'UTC', network: N.awsUsEast1, sdk: 'node', region: 'us-east-1', registered: false, scope: 'read-write' },
  { base: 'ledger-reader', team: 'finance', description: 'Reconciliation scripts run from the Berlin office', provider: 'aws', rhythm: 'business', role: 'reader', timezone: 'Europe/Berlin', network: N.officeDeTelekom, sdk: 'java', region: 'eu-central-1', registered: true, scope: 'read-only' },
  { base: 'infra-deployer', team: 'platform', description: 'CI deployer for the Frankfurt services', provider: 'aws', rhythm: 'ci', role: 'deployer', timezone: 'Europe/Berlin', network: N.awsEuCentral1, sdk: 'cli', region: 'eu-central-1', registered: false, scope: 'read-write' },
  { base: 'search-indexer', team: 'catalog', description: 'Keeps the search index fresh', provider: 'aws', rhythm: 'always-on', role: 'writer', timezone: 'UTC', network: N.awsApNortheast1, sdk: 'java', region: 'ap-northeast-1', registered: true, scope: 'read-write' },
  { base: 'crm-sync', team: 'sales', description: 'Pushes CRM updates during office hours', provider: 'aws', rhythm: 'business', role: 'writer', timezone: 'America/New_York', network: N.awsUsEast1, sdk: 'node', region: 'us-east-1', registered: false, scope: 'read-write' },
  { base: 'audit-archiver', team: 'security', description: 'Archives audit logs every night', provider: 'aws', rhythm: 'nightly', role: 'etl', timezone: 'UTC', network: N.awsEuWest1, sdk: 'go', region: 'eu-west-1', registered: false, scope: 'read-write' },
  { base: 'inventory-reader', team: 'logistics', description: 'Stock reports from the Tokyo office', provider: 'aws', rhythm: 'business', role: 'reader', timezone: 'Asia/Tokyo', network: N.officeJpNtt, sdk: 'python', region: 'ap-northeast-1', registered: false, scope: 'read-write' },
  { base: 'dependency-bot', team: 'platform', description: 'Checks dependencies and opens update PRs', provider: 'github', rhythm: 'always-on', role: 'github-deps', timezone: 'UTC', network: N.gcpUsCentral1, sdk: 'go', region: 'us-east-1', registered: false, scope: 'read-write' },
  { base: 'payments-worker', team: 'payments', description: 'Settles payments around the clock', provider: 'aws', rhythm: 'always-on', role: 'writer', timezone: 'UTC', network: N.awsEuCentral1, sdk: 'java', region: 'eu-central-1', registered: true, scope: 'read-write' },
  { base: 'web-deployer', team: 'platform', description: 'CI deployer for the web front end', provider: 'aws', rhythm: 'ci', role: 'deployer', timezone: 'America/New_York', network: N.awsUsEast1, sdk: 'cli', region: 'us-east-1', registered: true, scope: 'read-write' },
];

const NO_TRAITS: KeyTraits = Object.freeze({
  bursty: false,
  onCall: false,
  volume: 'normal',
  pause: false,
  sdkUpgrade: false,
  bracketedS3: false,
  cliCommand: false,
  runId: false,
  sts: false,
  idempotency: false,
  pagination: false,
  lateFinish: { dayShare: 0, maxMinutes: 0 },
  weekend: { dayShare: 0, maxCalls: 0 },
  sessionSigma: 0,
  activeDayShare: 1,
});

const ENVIRONMENTS = ['prod', 'staging', 'dr', 'qa', 'sandbox'];
const GITHUB_REPOS: Record<string, string[]> = {
  platform: ['infra', 'deploy-tools', 'web', 'payments-service', 'mobile-app'],
};

/** The fleet: `count` keys cycling through the archetypes, each with its own ids, addresses and rates. */
export function buildFleet(count: number, start: LocalDate, days: number, behaviour: FleetBehaviour, rng: Rng): KeyProfile[] {
  const accounts = new Map(ENVIRONMENTS.map((env) => [env, `${rng.int(1, 9)}${rng.chars(DIGITS, 11)}`]));
  const fleet: KeyProfile[] = [];
  for (let index = 0; index < count; index++) {
    const a = ARCHETYPES[index % ARCHETYPES.length] as Archetype;
    const cycle = Math.floor(index / ARCHETYPES.length);
    const environment = ENVIRONMENTS[cycle % ENVIRONMENTS.length] as string;
    const name = cycle < ENVIRONMENTS.length ? `${a.base}-${environment}` : `${a.base}-${environment}-${cycle}`;
    const keyRng = rng.fork(`key:${index}`);
    const key = buildKey(index, a, name, environment, accounts.get(environment) as string, start, days, keyRng);
    fleet.push(withBehaviour(key, behaviour, keyRng.fork('behaviour')));
  }
  return fleet;
}

function buildKey(
  index: number,
  a: Archetype,
  name: string,
  environment: string,
  accountId: string,
  start: LocalDate,
  days: number,
  rng: Rng,
): KeyProfile {
  const rotationDays = rng.pick([90, 90, 180]);
  const isGithub = a.provider === 'github';
  const repos = GITHUB_REPOS[a.team] ?? ['service'];
  const tokenId = rng.int(5_000_000, 9_999_999);
  return {
    index,
    provider: a.provider,
    // GitHub tokens are named `token:<token_id>`, as @keywatch/sources does.
    keyId: isGithub ? `token:${tokenId}` : `AKIA${rng.chars(AWS_ID_CHARS, 16)}`,
    name,
    team: a.team,
    environment,
    description: a.description,
    rhythm: a.rhythm,
    role: a.role,
    timezone: a.timezone,
    network: a.network,
    ips: homeAddresses(a, rng),
    sdk: a.sdk,
    userAgent: isGithub ? githubUserAgent(rng) : sdkUserAgent(a.sdk, rng),
    region: a.region,
    accountId,
    principalId: `AIDA${rng.chars(AWS_ID_CHARS, 17)}`,
    arn: `arn:aws:iam::${accountId}:user/${name}`,
    failureRate: a.rhythm === 'nightly' ? rng.float(0, 0.01) : rng.float(0, 0.03),
    intensity: intensityFor(a, rng),
    registered: a.registered,
    scope: a.scope,
    workday: { startMinute: 0, endMinute: 24 * 60 },
    traits: NO_TRAITS,
    secondHome: null,
    // Created so it stays inside its rotation period for the whole window (when the window is shorter
    // than the period): an over-age key is a key_age incident, and those are labelled.
    created: formatDate(addDays(start, -rng.int(10, Math.max(10, rotationDays - 20 - days)))),
    rotationDays,
    resources: resourcesFor(a, name, environment, accountId, repos),
    github: isGithub
      ? {
          tokenId,
          actorId: rng.int(10_000_000, 160_000_000),
          tokenKind: 'Fine-grained personal access token',
          hashedToken: Buffer.from(rng.chars('0123456789abcdef', 64), 'hex').toString('base64'),
          repoIds: repos.map(() => rng.int(100_000_000, 800_000_000)),
        }
      : null,
  };
}

/** A few fixed addresses: NAT gateways in the cloud, two CI runners in one subnet, the egress of an office. */
function homeAddresses(a: Archetype, rng: Rng): string[] {
  const ci = a.rhythm === 'ci';
  const count = ci ? 2 : rng.int(1, a.network.id.startsWith('office') ? 2 : 3);
  const subnet = rng.pick(a.network.prefixes);
  const ips = new Set<string>();
  while (ips.size < count) ips.add(`${ci ? subnet : rng.pick(a.network.prefixes)}.${rng.int(10, 250)}`);
  return [...ips];
}

/** Cloud regions a workload also runs in: the other side of an ocean, as multi-region services are. */
const SECOND_REGIONS: Record<string, { network: Network; region: string }> = {
  'aws-us-east-1': { network: N.awsEuWest1, region: 'eu-west-1' },
  'aws-eu-west-1': { network: N.awsUsEast1, region: 'us-east-1' },
  'aws-eu-central-1': { network: N.awsApNortheast1, region: 'ap-northeast-1' },
  'aws-ap-northeast-1': { network: N.awsEuCentral1, region: 'eu-central-1' },
};

/** The key's share of the fleet's benign behaviours, its working day, and its client as its tooling makes it. */
function withBehaviour(key: KeyProfile, b: FleetBehaviour, rng: Rng): KeyProfile {
  const working = key.rhythm === 'business' || key.rhythm === 'ci';
  const aws = key.provider === 'aws';
  const volumeRoll = rng.next();
  const traits: KeyTraits = {
    bursty: key.rhythm === 'business' && rng.chance(b.bursty.keyShare),
    onCall: key.rhythm === 'business' && rng.chance(b.onCall.keyShare),
    volume:
      key.rhythm === 'ci' || key.role === 'github-deps'
        ? 'normal'
        : volumeRoll < b.lowVolumeShare
          ? 'low'
          : volumeRoll < b.lowVolumeShare + b.intermittent.keyShare
            ? 'intermittent'
            : 'normal',
    pause: rng.chance(b.pauseShare),
    sdkUpgrade: rng.chance(b.sdkUpgradeShare),
    bracketedS3: rng.chance(b.bracketedS3Share),
    cliCommand: rng.chance(b.cliCommandShare),
    runId: key.rhythm === 'ci' && aws && rng.chance(b.runIdShare),
    sts: aws && rng.chance(b.stsShare),
    idempotency: aws && (key.role === 'writer' || key.role === 'etl') && rng.chance(b.idempotencyShare),
    pagination: aws && key.role !== 'deployer' && rng.chance(b.paginationShare),
    lateFinish: working ? b.lateFinish : { dayShare: 0, maxMinutes: 0 },
    weekend: { dayShare: b.onCall.weekendDayShare, maxCalls: b.onCall.maxCalls },
    sessionSigma: b.bursty.sessionSigma,
    activeDayShare: b.intermittent.activeDayShare,
  };
  if (traits.volume === 'low') key.intensity *= rng.float(0.03, 0.12);
  // The team's own day: starts 07:30-09:30, ends 16:30-18:30 (CI: 09:00-10:00 to 16:30-18:00).
  key.workday =
    key.rhythm === 'ci'
      ? { startMinute: rng.int(9 * 60, 10 * 60), endMinute: rng.int(16 * 60 + 30, 18 * 60) }
      : { startMinute: rng.int(7 * 60 + 30, 9 * 60 + 30), endMinute: rng.int(16 * 60 + 30, 18 * 60 + 30) };
  if (!working) key.workday = { startMinute: 0, endMinute: 24 * 60 };
  if (key.role === 'deployer' && rng.chance(b.terraformShare)) {
    key.sdk = 'terraform';
    key.userAgent = sdkUserAgent('terraform', rng);
  }
  const second = SECOND_REGIONS[key.network.id];
  if (aws && second !== undefined && key.rhythm !== 'ci' && rng.chance(b.multiRegionShare)) {
    key.secondHome = secondHome(second.network, second.region, rng);
  }
  key.traits = traits;
  return key;
}

function secondHome(network: Network, region: string, rng: Rng): SecondHome {
  const ips = new Set<string>();
  const count = rng.int(1, 2);
  while (ips.size < count) ips.add(`${rng.pick(network.prefixes)}.${rng.int(10, 250)}`);
  return { network, ips: [...ips], region };
}

function intensityFor(a: Archetype, rng: Rng): number {
  if (a.role === 'github-deps') return rng.float(2, 3.5); // polls per hour
  switch (a.rhythm) {
    case 'business':
      return rng.float(10, 22); // calls per hour
    case 'always-on':
      return rng.float(3, 9); // calls per hour
    case 'nightly':
      return rng.float(90, 220); // calls per run
    case 'ci':
      return rng.float(1.5, 3.5); // runs per weekday
  }
}

function resourcesFor(a: Archetype, name: string, environment: string, accountId: string, repos: string[]): KeyResources {
  const r = a.region;
  return {
    bucket: `acme-${name}`,
    table: `${a.team}-${environment}`,
    queueUrl: `https://sqs.${r}.amazonaws.com/${accountId}/${a.team}-${environment}-events`,
    topicArn: `arn:aws:sns:${r}:${accountId}:${a.team}-${environment}-notifications`,
    secretId: `${environment}/${a.base}/db-credentials`,
    parameter: `/${environment}/${a.base}/config`,
    athenaWorkgroup: `${a.team}-analytics`,
    glueDatabase: `${a.team}_${environment}`,
    ecsCluster: `${environment}-${r}`,
    ecsService: a.base.replace(/-(bot|deployer)$/, '-web'),
    ecrRepository: `${a.team}/${a.base}`,
    codebuildProject: `${a.base}-${environment}`,
    githubOrg: 'acme-corp',
    githubRepos: repos,
  };
}
