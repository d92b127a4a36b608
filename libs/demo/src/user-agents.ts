import type { Rng } from './rng.ts';

/** The SDK a bot is written with; each key keeps one user agent for the whole dataset. */
export type SdkFamily = 'java' | 'python' | 'cli' | 'node' | 'go' | 'terraform';

const KERNELS = ['5.10.215-203.850.amzn2.x86_64', '6.1.82-99.168.amzn2023.x86_64', '5.15.0-1055-aws'];

export function sdkUserAgent(family: SdkFamily, rng: Rng): string {
  const kernel = rng.pick(KERNELS);
  switch (family) {
    case 'java': {
      const v = rng.pick(['2.25.10', '2.25.16', '2.24.13']);
      return `aws-sdk-java/${v} Linux/${kernel} OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy`;
    }
    case 'python': {
      const v = rng.pick(['1.34.50', '1.34.69', '1.33.13']);
      return `Boto3/${v} md/Botocore#${v} ua/2.0 os/linux#${kernel} md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/${v}`;
    }
    case 'cli': {
      const v = rng.pick(['2.15.30', '2.15.19', '2.13.33']);
      return `aws-cli/${v} md/awscrt#0.19.19 ua/2.0 os/linux#${kernel} md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython exe/x86_64.amzn.2 prompt/off`;
    }
    case 'node': {
      const v = rng.pick(['3.540.0', '3.535.0', '3.525.0']);
      return `aws-sdk-js/${v} ua/2.0 os/linux#${kernel} lang/js md/nodejs#20.11.1`;
    }
    case 'go': {
      const v = rng.pick(['1.25.3', '1.26.0', '1.24.1']);
      return `aws-sdk-go-v2/${v} os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64`;
    }
    case 'terraform': {
      const v = rng.pick(['5.42.0', '5.40.0']);
      return `APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/${v} (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.3 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64`;
    }
  }
}

export function githubUserAgent(rng: Rng): string {
  return rng.pick(['octokit-rest.js/20.0.2 octokit-core.js/5.1.0 Node.js/20', 'PyGithub/Python', 'Go-http-client/2.0']);
}

/** Tools attackers use with a stolen key. A careful attacker copies the bot's own user agent instead. */
export const ATTACKER_USER_AGENTS: readonly string[] = [
  'python-requests/2.31.0',
  'curl/8.5.0',
  'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.6.9-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython exe/x86_64.kali.2024 prompt/off',
  'Boto3/1.34.50 md/Botocore#1.34.50 ua/2.0 os/linux#6.6.9-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython Botocore/1.34.50',
];

/** The first `product/1.2.3` of a user agent (Terraform's own version behind its `APN/1.0` prefix). */
const LEADING_VERSION = /[A-Za-z][\w.-]*\/(\d+)\.(\d+)\.(\d+)/;

/** The same client a release or two later: every occurrence of its version bumped (Boto3 repeats it for Botocore). */
export function upgradedUserAgent(userAgent: string, rng: Rng): string | null {
  const m = LEADING_VERSION.exec(userAgent);
  if (m === null) return null;
  const [, major] = m;
  const minor = m[2];
  const version = `${m[1]}.${m[2]}.${m[3]}`;
  const next = `${major}.${Number(minor) + rng.int(1, 2)}.${rng.int(0, 20)}`;
  return userAgent.split(version).join(next);
}

/**
 * The user agent as CloudTrail records it for one call. CloudTrail wraps the user agent of S3 data events
 * in brackets; the aws-cli names the command it runs (`command/s3api.get-object` in older 2.x releases,
 * `md/command#s3api.get-object` in newer ones); the Go SDK v2 (and Terraform, built on it) names the
 * service client and its version (`api/sts#1.26.2`).
 */
export function recordedUserAgent(
  userAgent: string,
  call: { service: string; name: string; data: boolean },
  opts: { bracketedS3: boolean; cliCommand: boolean },
): string {
  let ua = userAgent;
  if (ua.includes('aws-sdk-go-v2/')) ua = `${ua} api/${call.service}#${serviceClientVersion(call.service)}`;
  if (opts.cliCommand && ua.startsWith('aws-cli/')) {
    const command = `${call.service === 's3' ? 's3api' : call.service}.${kebab(call.name)}`;
    ua = ua.startsWith('aws-cli/2.13.') ? `${ua} command/${command}` : `${ua} md/command#${command}`;
  }
  if (opts.bracketedS3 && call.service === 's3' && call.data) ua = `[${ua}]`;
  return ua;
}

function kebab(name: string): string {
  return name
    .replace(/\d{8}$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

/** A stable per-service client version, as each Go SDK v2 service module has its own. */
function serviceClientVersion(service: string): string {
  let h = 0;
  for (const ch of service) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `1.${20 + (h % 30)}.${h % 7}`;
}
