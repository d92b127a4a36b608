/**
 * What kind of client a user agent is, and its *family*: the name that stays the same across versions,
 * per-call suffixes, per-run ids and CloudTrail's re-wrapping, so that only a genuinely different client is
 * "new" (issue 8, item 5).
 */

/** Client kinds, as bits of `Profile.clientKinds`. */
export const CLIENT_KINDS = {
  /** A provider SDK in a program (aws-sdk-*, Boto3, octokit). */
  sdk: 1,
  /** Infrastructure as code (Terraform). */
  iac: 2,
  /** The provider acting for the key or its console (`AWS Internal`, `*.amazonaws.com`, SSM agent, S3Console). */
  provider: 4,
  /** A command line a human types (aws-cli, gcloud, gh). */
  cli: 8,
  /** A web browser. */
  browser: 16,
  /** Hand-run HTTP clients and attack tooling (curl, python-requests, Go-http-client, pacu, Kali builds, stratus). */
  tool: 32,
  other: 64,
} as const;
export type ClientKind = keyof typeof CLIENT_KINDS;

/** Kinds a program uses: a key that only ever showed these is "SDK-only", and a hand-run tool on it is strong news. */
export const MACHINE_KINDS = CLIENT_KINDS.sdk | CLIENT_KINDS.iac | CLIENT_KINDS.provider;

export interface Client {
  family: string;
  kind: ClientKind;
}

/** Offensive tooling that names itself somewhere in the user agent. */
const ATTACK_TOOLS =
  /(?:^|[^a-z])(stratus-red-team|pacu|scoutsuite|prowler|cloudfox|weirdaal|endgame|cloudsploit|nuclei|sqlmap|nmap)(?![a-z])/i;
/** Kali's kernels and packages carry their name (`Linux/6.1.0-kali7-amd64`, `distrib/kali.2023`). */
const KALI = /kali/i;
const TERRAFORM = /(^APN\/1\.0 HashiCorp\/1\.0\b|\bTerraform\/|\bterraform-provider-)/i;
const AWS_CONSOLE = /(console|signin)\b/i;
const HAND_TOOLS = new Set([
  'curl',
  'wget',
  'python-requests',
  'python-urllib',
  'python-httpx',
  'aiohttp',
  'go-http-client',
  'libwww-perl',
  'httpie',
  'postmanruntime',
  'insomnia',
  'powershell',
  'java',
  'apache-httpclient',
  'okhttp',
  'node-fetch',
  'axios',
  'undici',
  'ruby',
]);
const CLIS = new Set(['aws-cli', 'gcloud', 'google-cloud-sdk', 'gh', 'git', 'aws-powershell', 'awscli']);
const SDK = /^(aws-sdk-|boto3$|botocore$|octokit|pygithub|google-api-|google-cloud-|gcloud-|azsdk|azure-sdk|aws-chalice|smithy)/;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export function clientOf(userAgent: string): Client {
  let ua = userAgent.trim();
  // CloudTrail writes the user agent of S3 data events as `[...]`.
  if (ua.startsWith('[') && ua.endsWith(']')) ua = ua.slice(1, -1).trim();
  const tool = ATTACK_TOOLS.exec(ua);
  if (tool) return { family: tool[1]!.toLowerCase(), kind: 'tool' };
  if (TERRAFORM.test(ua))
    return { family: KALI.test(ua) ? 'terraform (kali)' : 'terraform', kind: KALI.test(ua) ? 'tool' : 'iac' };
  if (ua === 'AWS Internal' || /^[a-z0-9.-]+\.amazonaws\.com$/i.test(ua)) {
    return AWS_CONSOLE.test(ua) ? { family: 'aws-console', kind: 'provider' } : { family: 'aws-internal', kind: 'provider' };
  }
  if (/\baws-internal\//i.test(ua)) {
    return /console/i.test(ua) ? { family: 'aws-console', kind: 'provider' } : { family: 'aws-internal', kind: 'provider' };
  }
  if (/\bamazon-ssm-agent\b/i.test(ua)) return { family: 'amazon-ssm-agent', kind: 'provider' };
  if (/^Mozilla\//.test(ua)) return { family: 'browser', kind: 'browser' };
  const family = productFamily(ua);
  const kali = KALI.test(ua);
  if (kali) return { family: `${family} (kali)`, kind: 'tool' };
  if (HAND_TOOLS.has(family)) return { family, kind: 'tool' };
  if (CLIS.has(family)) return { family: family === 'awscli' ? 'aws-cli' : family, kind: 'cli' };
  if (SDK.test(family)) return { family, kind: 'sdk' };
  return { family, kind: 'other' };
}

/**
 * The first product token, lower case, without versions and ids: `aws-sdk-go-v2/1.17` → `aws-sdk-go`,
 * `Botocore/1.29` → `boto3` (the same Python SDK), `mytool_<uuid>` → `mytool`, `job-runner-1.4.2` → `job-runner`.
 */
function productFamily(ua: string): string {
  const first = ua.replace(UUID, '').split(/[\s/,;()]/)[0] ?? '';
  const parts = first
    .toLowerCase()
    .split(/[-_.:]/)
    .filter((p) => p !== '' && !/^v?\d+$/.test(p) && !(/^[0-9a-f]{6,}$/.test(p) && /\d/.test(p)));
  const name = parts.join('-').slice(0, 64);
  if (name === 'botocore') return 'boto3';
  return name === '' ? 'unknown' : name;
}

/** The family of a user agent (what `new_user_agent` and suppressions compare). */
export function userAgentFamily(ua: string): string {
  return clientOf(ua).family;
}
