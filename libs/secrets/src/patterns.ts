import { secretKindForKey } from './key-names.ts';

/**
 * Detectors for secrets that can sit anywhere inside a string: a log line, a URL, a header value.
 *
 * Order matters: provider formats run before the generic contexts (URL passwords, Bearer, `key=`),
 * so a known token gets its precise kind. Each regex is global. If it has a `secret` group, that group must be the END of the match (use a
 * lookahead for anything that follows), and only it is replaced, so `Bearer abc…` keeps `Bearer `.
 * Every regex is written to stay linear on hostile input: prefixes are anchored with a lookbehind on
 * token characters, so an attempt can only start at the beginning of a token run.
 */
export interface EmbeddedPattern {
  kind: string;
  regex: RegExp;
  /** Extra check on the secret part; a rejected match is left as it is. */
  accept?: (secret: string) => boolean;
  /** Kind decided by the matched text (generic `password=…` assignments). */
  kindOf?: (match: string) => string;
}

const notAfterToken = '(?<![A-Za-z0-9])';

/** Basic credentials are base64 of `user:password`; "Basic authentication" is not. */
function isBasicCredential(secret: string): boolean {
  const decoded = Buffer.from(secret, 'base64').toString('utf8');
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded);
}

/** Bearer values in prose ("Bearer authentication") have no digits; real tokens nearly always do. */
function looksLikeToken(secret: string): boolean {
  return /\d/.test(secret) || secret.length >= 24;
}

function kindFromAssignment(match: string): string {
  const name = /^[A-Za-z_-]+/.exec(match)?.[0] ?? '';
  return secretKindForKey(name) ?? 'secret';
}

export const EMBEDDED_PATTERNS: readonly EmbeddedPattern[] = [
  {
    kind: 'private_key',
    regex:
      /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  { kind: 'slack_webhook', regex: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{8,}/g },
  {
    // A key id followed by its secret, as in the credentials CSV or `AKIA…:secret`: only the secret goes.
    kind: 'aws_secret_access_key',
    regex: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}[\s,:;|"'=]{1,4}(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g,
  },
  {
    kind: 'aws_secret_access_key',
    regex:
      /(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret_?key)["']?\s*[:=]\s*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
  },
  {
    kind: 'aws_session_token',
    regex: /(?:session_?token|security_?token|x-amz-security-token)["']?\s*[:=]\s*["']?(?<secret>[A-Za-z0-9/+%=_-]{16,})/gi,
  },
  { kind: 'stripe_key', regex: new RegExp(`${notAfterToken}(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}`, 'g') },
  { kind: 'stripe_webhook_secret', regex: new RegExp(`${notAfterToken}whsec_[A-Za-z0-9]{20,}`, 'g') },
  { kind: 'github_pat', regex: new RegExp(`${notAfterToken}ghp_[A-Za-z0-9]{30,}`, 'g') },
  { kind: 'github_fine_grained_pat', regex: new RegExp(`${notAfterToken}github_pat_[A-Za-z0-9_]{30,}`, 'g') },
  { kind: 'github_oauth_token', regex: new RegExp(`${notAfterToken}gho_[A-Za-z0-9]{30,}`, 'g') },
  { kind: 'github_app_token', regex: new RegExp(`${notAfterToken}gh[us]_[A-Za-z0-9]{30,}`, 'g') },
  { kind: 'github_refresh_token', regex: new RegExp(`${notAfterToken}ghr_[A-Za-z0-9]{30,}`, 'g') },
  { kind: 'slack_token', regex: new RegExp(`${notAfterToken}xox[abposr]-[A-Za-z0-9-]{10,}`, 'g') },
  { kind: 'slack_app_token', regex: new RegExp(`${notAfterToken}xapp-\\d-[A-Za-z0-9-]{10,}`, 'g') },
  { kind: 'google_api_key', regex: new RegExp(`${notAfterToken}AIza[0-9A-Za-z_-]{35}`, 'g') },
  { kind: 'anthropic_api_key', regex: new RegExp(`${notAfterToken}sk-ant-[A-Za-z0-9_-]{20,}`, 'g') },
  { kind: 'openai_api_key', regex: new RegExp(`${notAfterToken}sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}`, 'g') },
  { kind: 'openai_api_key', regex: new RegExp(`${notAfterToken}sk-[A-Za-z0-9]{32,}`, 'g') },
  { kind: 'jwt', regex: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  {
    kind: 'url_password',
    regex: /(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{1,20}:\/\/[^\s/:@?#"'<>[\]]{1,256}:(?<secret>[^\s/@?#"'<>[\]]{3,256})(?=@)/gi,
  },
  { kind: 'bearer_token', regex: /\b[Bb]earer\s+(?<secret>[A-Za-z0-9._~+/-]{8,}=*)/g, accept: looksLikeToken },
  { kind: 'basic_auth', regex: /\b[Bb]asic\s+(?<secret>[A-Za-z0-9+/]{6,}={0,2})/g, accept: isBasicCredential },
  {
    kind: 'url_secret_param',
    regex:
      /[?&;](?:access_token|refresh_token|id_token|auth_token|token|api_key|apikey|api-key|x-api-key|client_secret|secret|password|passwd|sig|x-amz-signature)=(?<secret>[^&\s#"'<>[\]]{8,})/gi,
  },
  {
    // `password=…`, `"apiKey": "…"` in log lines and JSON-encoded strings. Not after `:` or `/`,
    // where `secret:` is an ARN resource type (`arn:aws:secretsmanager:…:secret:name`).
    kind: 'secret',
    kindOf: kindFromAssignment,
    accept: (secret) => !secret.startsWith('arn:'),
    regex:
      /(?<![:/])\b(?:password|passwd|passphrase|secret|client_secret|api_?key|api-key|access_?token|auth_?token|refresh_?token|token|authorization)["']?\s*[:=]\s*["']?(?<secret>[^\s"'&,;<>{}[\]()]{8,})/gi,
  },
];

/**
 * One cheap test before running every detector: each pattern above needs one of these substrings.
 * Keep it in sync when adding a pattern. A key id alone (`AKIA…`, in every CloudTrail record) does not
 * trigger the scan: only one followed by a separator, where its secret may follow.
 */
export const MIGHT_HOLD_SECRET =
  /PRIVATE KEY|hooks\.slack|:\/\/|(?:AKIA|ASIA)[A-Z0-9]{16}[\s,:;|"'=]|secret|token|sk_|rk_|whsec_|gh[pousr]_|github_pat_|xox|xapp-|AIza|sk-|eyJ|bearer|basic|passw|passphrase|api_?-?key|authorization|sig=|signature/i;

/**
 * Every substring of MIGHT_HOLD_SECRET holds an ASCII letter after `f` or a colon. Ids, hashes and
 * numbers (UUIDs, request ids, account ids) hold none, so this much cheaper test clears them.
 */
export const TRIGGER_CHARACTER = /[g-zG-Z:]/;
