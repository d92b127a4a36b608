import { AWS } from '../aws-actions.ts';
import { GITHUB } from '../github-actions.ts';
import type { KeyProfile } from '../model.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';
import { AttackScript, summarizeActions } from './attack-steps.ts';

/** Hand-run HTTP clients: curl ≥ 7.75 signs AWS requests itself (`--aws-sigv4`), requests with requests-aws4auth. */
const HAND_TOOLS = ['curl/8.5.0', 'python-requests/2.31.0'] as const;

/** The product name keywatch compares (`aws-sdk-java`, `boto3`, `curl` …). */
function family(userAgent: string): string {
  return (userAgent.split(/[\s/]/)[0] ?? '').toLowerCase();
}

/**
 * Someone with a shell on the bot's host (or a leaked copy of its config on the same NAT) uses the key by
 * hand: same address, working hours, nothing written, nothing denied; only the client is new.
 */
export const newClientOnBotHost: Scenario = {
  kind: 'new_client_on_bot_host',
  detectors: ['new_user_agent'],
  eligible: (key) => HAND_TOOLS.some((t) => family(t) !== family(key.userAgent)),
  inject({ key, window, dayIndex, rng }) {
    const start = busyMoment(key, window, dayIndex, rng);
    if (start === null) return null;
    const tool = rng.pick(HAND_TOOLS.filter((t) => family(t) !== family(key.userAgent)));
    const ip = rng.pick(key.ips);
    const s = new AttackScript(key, start, ip, tool, rng);
    if (key.provider === 'github') lookAroundGithub(s, key);
    else lookAroundAws(s);
    return {
      calls: s.calls,
      description:
        `New client on the bot's own host: ${key.name} (${key.keyId}) was used with "${tool}" from its usual address ${ip} ` +
        `at ${isoSeconds(start)} (${summarizeActions(s.calls)}); it only ever used "${key.userAgent.split(' ')[0]}".`,
    };
  },
};

function lookAroundAws(s: AttackScript): void {
  s.aws(AWS.stsGetCallerIdentity, [0, 0]).aws(AWS.s3ListBuckets, [10, 90]).aws(AWS.s3ListObjects, [5, 60]);
  const reads = s.rng.int(3, 15);
  for (let i = 0; i < reads; i++) s.aws(AWS.s3GetObject, [3, 40]);
  if (s.rng.chance(0.6)) s.aws(AWS.secretsGetSecretValue, [10, 120]);
}

function lookAroundGithub(s: AttackScript, key: KeyProfile): void {
  const repo = s.rng.pick(key.resources.githubRepos);
  s.github(GITHUB.getRepo, [0, 0], repo).github(GITHUB.listBranches, [5, 60], repo);
  const reads = s.rng.int(3, 12);
  for (let i = 0; i < reads; i++) s.github(GITHUB.getContents, [3, 40], repo);
  s.github(GITHUB.tarball, [5, 60], repo);
}
