import { rng } from '../../../test/seeded-random.ts';

/**
 * Fake secrets in the real formats, assembled at run time so that secret scanners (and GitHub push
 * protection) do not mistake this file for a leak.
 */
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomChars(next: () => number, length: number, alphabet = ALNUM): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)];
  return s;
}

const fixed = rng(42);
const r = (n: number, alphabet?: string) => randomChars(fixed, n, alphabet);
const b64 = (s: string) => Buffer.from(s).toString('base64url');

export const SAMPLE = {
  awsSecret: `${r(20)}/${r(15)}+${r(3)}`,
  stripeLive: ['sk', 'live', r(24)].join('_'),
  stripeTest: ['sk', 'test', r(24)].join('_'),
  stripeRestricted: ['rk', 'live', r(24)].join('_'),
  githubPat: `${'ghp'}_${r(36)}`,
  githubOauth: `${'gho'}_${r(36)}`,
  githubUser: `${'ghu'}_${r(36)}`,
  githubServer: `${'ghs'}_${r(36)}`,
  githubRefresh: `${'ghr'}_${r(36)}`,
  githubFineGrained: `${'github_pat'}_${r(22)}_${r(59)}`,
  slackBot: `${'xoxb'}-${r(12, '0123456789')}-${r(12, '0123456789')}-${r(24)}`,
  slackUser: `${'xoxp'}-${r(12, '0123456789')}-${r(24)}`,
  slackApp: `${'xapp'}-1-${r(11)}-${r(30)}`,
  slackWebhook: `https://hooks.slack.com/services/T${r(8)}/B${r(8)}/${r(24)}`,
  googleApiKey: `${'AIza'}${r(35)}`,
  jwt: `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64(`{"sub":"${r(8)}","iat":1772590629}`)}.${r(43)}`,
  openai: `${'sk'}-${r(48)}`,
  openaiProject: `${'sk'}-proj-${r(60)}`,
  anthropic: `${'sk'}-ant-api03-${r(80)}`,
  privateKey: `-----BEGIN RSA PRIVATE KEY-----\n${r(64)}\n${r(64)}\n-----END RSA PRIVATE KEY-----`,
  bearer: r(40),
  basicCredentials: Buffer.from(`deploy-bot:${r(16)}`).toString('base64'),
  password: r(16),
  gitlabPat: `${'glpat'}-${r(20)}`,
  npm: `${'npm'}_${r(36)}`,
  pypi: `${'pypi'}-AgEIcHlwaS5vcmc${r(70)}`,
  sendgrid: `${'SG'}.${r(22)}.${r(43)}`,
  twilio: `${'SK'}${r(32, '0123456789abcdef')}`,
  azureAccountKey: `${r(86)}==`,
  azureClientSecret: `${r(3)}8Q~${r(34)}`,
  vault: `${'hvs'}.${r(90)}`,
  shortPassword: `${r(5)}`,
  shortBearer: `${r(4)}${r(2, '0123456789')}`,
};
