import { looksLikeCredential } from './credential-shape.ts';
import { ruleForName } from './key-names.ts';

/**
 * Detectors for secrets that can sit anywhere inside a string: a log line, a URL, a header value, JSON
 * text inside a string, a line that is not valid JSON.
 *
 * Order matters: provider formats run before the generic contexts (URL passwords, Bearer, `key=`),
 * so a known token gets its precise kind. Each regex is global. If it has a `secret` group, that group
 * must be the END of the match (use a lookahead for anything that follows), and only it is replaced, so
 * `Bearer abc…` keeps `Bearer `. Every regex is written to stay linear on hostile input: prefixes are
 * anchored with a lookbehind on token characters, so an attempt can only start at the beginning of a
 * token run.
 */
export interface EmbeddedPattern {
  kind: string;
  regex: RegExp;
  /** Extra check on the secret part; a rejected match is left as it is. */
  accept?: (secret: string, match: string) => boolean;
  /** Kind decided by the matched text: which token of a combined regex, which name of an assignment. */
  kindOf?: (match: string, groups: readonly (string | undefined)[]) => string;
}

/**
 * Provider tokens recognisable by their prefix (the shapes of gitleaks' default rules). `cut`: the
 * prefix is distinctive enough that a token cut short at the very end of a string (a truncated line)
 * is still redacted.
 */
interface TokenShape {
  kind: string;
  /** Regex source; no capturing groups. */
  body: string;
  cut?: string;
}

const TOKENS: readonly TokenShape[] = [
  { kind: 'stripe_key', body: '(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,}', cut: '(?:sk|rk)_(?:live|test|prod)_' },
  { kind: 'stripe_webhook_secret', body: 'whsec_[A-Za-z0-9]{20,}', cut: 'whsec_' },
  { kind: 'github_pat', body: 'ghp_[A-Za-z0-9]{30,}', cut: 'ghp_' },
  { kind: 'github_fine_grained_pat', body: 'github_pat_[A-Za-z0-9_]{30,}', cut: 'github_pat_' },
  { kind: 'github_oauth_token', body: 'gho_[A-Za-z0-9]{30,}', cut: 'gho_' },
  { kind: 'github_app_token', body: 'gh[us]_[A-Za-z0-9]{30,}', cut: 'gh[us]_' },
  { kind: 'github_refresh_token', body: 'ghr_[A-Za-z0-9]{30,}', cut: 'ghr_' },
  {
    kind: 'gitlab_token',
    body: 'gl(?:pat|dt|ptt|rt|cbt|ft|imt|soat|oas|agent|ffct)-[0-9A-Za-z_.-]{20,}',
    cut: 'gl(?:pat|dt|ptt|rt|cbt|ft|imt|soat|oas|agent|ffct)-',
  },
  { kind: 'gitlab_runner_token', body: 'GR1348941[0-9A-Za-z_-]{20,}', cut: 'GR1348941' },
  { kind: 'npm_token', body: 'npm_[A-Za-z0-9]{36}', cut: 'npm_' },
  { kind: 'pypi_token', body: 'pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}', cut: 'pypi-AgEI' },
  { kind: 'slack_token', body: 'xox[abposre]-[A-Za-z0-9-]{10,}', cut: 'xox[abposre]-' },
  { kind: 'slack_token', body: 'xoxe\\.xox[bp]-\\d-[A-Za-z0-9]{20,}' },
  { kind: 'slack_app_token', body: 'xapp-\\d-[A-Za-z0-9-]{10,}', cut: 'xapp-' },
  { kind: 'google_api_key', body: 'AIza[0-9A-Za-z_-]{35}', cut: 'AIza' },
  { kind: 'google_oauth_secret', body: 'GOCSPX-[0-9A-Za-z_-]{28}', cut: 'GOCSPX-' },
  { kind: 'google_oauth_token', body: 'ya29\\.[0-9A-Za-z_-]{20,}', cut: 'ya29\\.' },
  { kind: 'azure_ad_client_secret', body: '[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])' },
  { kind: 'twilio_api_key', body: 'SK[0-9a-fA-F]{32}(?![0-9A-Za-z])' },
  { kind: 'sendgrid_api_key', body: 'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', cut: 'SG\\.[A-Za-z0-9_-]{8}' },
  { kind: 'anthropic_api_key', body: 'sk-ant-[A-Za-z0-9_-]{20,}', cut: 'sk-ant-' },
  { kind: 'openai_api_key', body: 'sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}', cut: 'sk-(?:proj|svcacct|admin)-' },
  { kind: 'openai_api_key', body: 'sk-[A-Za-z0-9]{32,}' },
  { kind: 'hashicorp_vault_token', body: 'hv[sb]\\.[A-Za-z0-9_-]{24,}', cut: 'hv[sb]\\.' },
  { kind: 'digitalocean_token', body: 'do[opr]_v1_[a-f0-9]{64}', cut: 'do[opr]_v1_' },
  { kind: 'shopify_token', body: 'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}', cut: 'shp(?:at|ca|pa|ss)_' },
  { kind: 'huggingface_token', body: 'hf_[A-Za-z]{34}' },
  { kind: 'databricks_token', body: 'dapi[a-f0-9]{32}(?:-\\d)?' },
  { kind: 'atlassian_token', body: 'ATATT3[A-Za-z0-9_=-]{100,}', cut: 'ATATT3' },
  { kind: 'postman_api_key', body: 'PMAK-[a-f0-9]{24}-[a-f0-9]{34}', cut: 'PMAK-' },
  { kind: 'doppler_token', body: 'dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,}', cut: 'dp\\.(?:pt|st|sa|ct)\\.' },
  { kind: 'linear_api_key', body: 'lin_api_[A-Za-z0-9]{40}', cut: 'lin_api_' },
  { kind: 'newrelic_api_key', body: 'NRAK-[A-Z0-9]{27}', cut: 'NRAK-' },
  { kind: 'grafana_token', body: 'gl(?:c|sa)_[A-Za-z0-9_+/=]{32,}', cut: 'gl(?:c|sa)_' },
  { kind: 'pulumi_token', body: 'pul-[a-f0-9]{40}', cut: 'pul-' },
  { kind: 'heroku_api_key', body: 'HRKU-[A-Za-z0-9_-]{40,}', cut: 'HRKU-' },
  { kind: 'age_secret_key', body: 'AGE-SECRET-KEY-1[0-9A-Z]{58}', cut: 'AGE-SECRET-KEY-1' },
  { kind: 'onepassword_token', body: 'ops_eyJ[A-Za-z0-9+/=_-]{100,}', cut: 'ops_eyJ' },
  { kind: 'mailgun_api_key', body: 'key-[a-f0-9]{32}(?![0-9a-z])' },
  { kind: 'square_token', body: 'sq0(?:atp|csp)-[0-9A-Za-z_-]{22,}', cut: 'sq0(?:atp|csp)-' },
  { kind: 'planetscale_token', body: 'pscale_(?:tkn|pw|oauth)_[A-Za-z0-9=._-]{32,}', cut: 'pscale_(?:tkn|pw|oauth)_' },
  { kind: 'terraform_cloud_token', body: '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,}' },
  { kind: 'jwt', body: 'eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*' },
];

/** A token starts after a non-alphanumeric: `xghp_…` is not a token start. */
const TOKEN_START = '(?<![A-Za-z0-9])';

const PROVIDER_TOKENS: EmbeddedPattern = {
  kind: 'token',
  regex: new RegExp(TOKENS.map((t) => `${TOKEN_START}(${t.body})`).join('|'), 'g'),
  kindOf: (_match, groups) => TOKENS[groups.findIndex((g) => g !== undefined)]?.kind ?? 'token',
};

/**
 * A token cut at the very end of a string, as in a truncated line: too short for its full pattern,
 * but its prefix says what it was, and what is left of it is still part of a secret.
 */
const CUT_TOKEN: EmbeddedPattern = {
  kind: 'token',
  regex: new RegExp(
    `${TOKEN_START}(?:${TOKENS.filter((t) => t.cut !== undefined)
      .map((t) => `(${t.cut})`)
      .join('|')}|(-----BEGIN))[A-Za-z0-9_+/=.~ -]*(?=["'\\\\\\s]*$)`,
    'g',
  ),
  kindOf: (_match, groups) => {
    const cuts = TOKENS.filter((t) => t.cut !== undefined);
    const i = groups.findIndex((g) => g !== undefined);
    return i < cuts.length ? (cuts[i]?.kind ?? 'token') : 'private_key';
  },
};

/** Basic credentials are base64 of `user:password`; "Basic authentication" is not. */
function isBasicCredential(secret: string): boolean {
  const decoded = Buffer.from(secret, 'base64').toString('utf8');
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded);
}

/** Bearer values in prose ("Bearer authentication") have no digits; real tokens nearly always do. */
function looksLikeToken(secret: string): boolean {
  return /\d/.test(secret) || secret.length >= 24;
}

/** `"x": "…"`, `x=…`, `x: …`, and the same inside JSON text in a string (`\"x\":\"…\"`). */
const QUOTE = `(?:\\\\?["'])?`;
const SEPARATOR = `${QUOTE}\\s*[:=]\\s*${QUOTE}`;
/** Value characters of an assignment: up to a quote, a backslash (escaped quote), a separator. */
const VALUE = `[^\\s"'\\\\&,;<>{}[\\]()]`;

/** Names whose assigned value is a secret whatever it looks like (see key-names.ts for the full list). */
const SECRET_NAME =
  '[A-Za-z0-9_-]{0,40}(?:password|passwd|passphrase|pwd|pass|secret|client_?secret|api_?key|api-key|access_?token|auth_?token|refresh_?token|id_?token|token|authorization)';

/** Names start a run of name characters, not after `:` (ARN resource types: `…:secret:name`). */
const NAME_START = '(?<![:A-Za-z0-9_-])';

function assignmentName(match: string): string {
  return /^[A-Za-z0-9_-]+/.exec(match)?.[0] ?? '';
}

export const EMBEDDED_PATTERNS: readonly EmbeddedPattern[] = [
  {
    kind: 'private_key',
    regex:
      /-----BEGIN[A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 _-]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  { kind: 'slack_webhook', regex: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{8,}/g },
  { kind: 'discord_webhook', regex: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{8,}/g },
  {
    // A key id followed by its secret, as in the credentials CSV or `AKIA…:secret`: only the secret goes.
    kind: 'aws_secret_access_key',
    regex: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}[\s,:;|"'=]{1,4}(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g,
  },
  {
    kind: 'aws_secret_access_key',
    regex: new RegExp(
      `(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret_?key)${SEPARATOR}(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      'gi',
    ),
  },
  {
    kind: 'aws_session_token',
    regex: new RegExp(
      `(?:session_?token|security_?token|x-amz-security-token)${SEPARATOR}(?<secret>[A-Za-z0-9/+%=_-]{16,})`,
      'gi',
    ),
  },
  {
    // Azure storage / Service Bus / Event Hubs connection strings and SAS: `AccountKey=…;`.
    kind: 'azure_storage_key',
    regex: /(?<![A-Za-z])(?:AccountKey|SharedAccessKey|SharedSecretValue)=(?<secret>[A-Za-z0-9+/=]{16,})/g,
    kindOf: (match) => (match.startsWith('AccountKey') ? 'azure_storage_key' : 'azure_shared_access_key'),
  },
  PROVIDER_TOKENS,
  {
    kind: 'url_password',
    regex: /(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{1,20}:\/\/[^\s/:@?#"'<>[\]]{1,256}:(?<secret>[^\s/@?#"'<>[\]]{1,256})(?=@)/gi,
  },
  { kind: 'bearer_token', regex: /\b[Bb]earer\s+(?<secret>[A-Za-z0-9._~+/-]{4,}=*)/g, accept: looksLikeToken },
  { kind: 'basic_auth', regex: /\b[Bb]asic\s+(?<secret>[A-Za-z0-9+/]{6,}={0,2})/g, accept: isBasicCredential },
  {
    kind: 'url_secret_param',
    regex:
      /[?&;](?:access_token|refresh_token|id_token|auth_token|token|api_key|apikey|api-key|x-api-key|key|client_secret|secret|password|passwd|pass|pwd|pw|sig|x-amz-signature)=(?<secret>[^&;\s#"'<>[\]\\]{3,})/gi,
  },
  {
    // `password=…`, `"apiKey": "…"`, `\"token\":\"…\"` in log lines and JSON text. Not after `:` or `/`,
    // where `secret:` is an ARN resource type (`arn:aws:secretsmanager:…:secret:name`).
    kind: 'secret',
    kindOf: (match) => ruleForName(assignmentName(match))?.kind ?? 'secret',
    accept: (secret, match) => {
      const rule = ruleForName(assignmentName(match));
      return rule !== null && !rule.generic && !secret.startsWith('arn:') && secret.length >= rule.minLength;
    },
    regex: new RegExp(`${NAME_START}${SECRET_NAME}${SEPARATOR}(?<secret>${VALUE}{3,})`, 'gi'),
  },
  {
    // gitleaks' generic-api-key on text: a credential-like name, then a value that looks like a credential.
    kind: 'generic_secret',
    kindOf: (match) => ruleForName(assignmentName(match))?.kind ?? 'generic_secret',
    accept: (secret, match) => {
      const rule = ruleForName(assignmentName(match));
      return rule !== null && (!rule.generic || secret.length >= rule.minLength) && looksLikeCredential(secret);
    },
    regex: new RegExp(
      `${NAME_START}[A-Za-z0-9_-]{0,40}(?:secret|token|passw|pwd|credential|creds|api_?key|auth|key)[A-Za-z0-9_-]{0,20}${SEPARATOR}(?<secret>[A-Za-z0-9_.=+/~-]{10,})`,
      'gi',
    ),
  },
  CUT_TOKEN,
];

/**
 * The pre-scan: one cheap test before running every detector. Each pattern above needs one of these
 * words (any case) or provider prefixes (exact case); keep them in sync when adding a pattern (the
 * planted-secrets test checks that the pre-scan never rules out a string the full scan finds a secret
 * in), and spell a new one out in line-prescan.ts's needles too. Two factored regexes, because one alternation of every needle costs twice as much on the clean
 * strings that are nearly all a record holds. A key id alone (`AKIA…`, in every CloudTrail record)
 * does not pass: only one followed by a separator, where its secret may follow.
 */
const CONTEXT_WORDS = /secret|token|pass|pwd|pw=|key|auth|bearer|basic|sig|cred|:\/\/|begin|discord/i;
const PROVIDER_PREFIXES =
  /s(?:k[_-]|hp(?:at|ca|pa|ss)_|q0)|rk_|whsec_|g(?:h[pousr]_|ithub_pat_|l(?:pat|dt|ptt|rt|cbt|ft|imt|soat|oas|agent|ffct|c|sa)[-_])|npm_|p(?:ypi-|ul-|scale_)|x(?:ox|app-)|A(?:Iza|TATT3|(?:KIA|SIA)[A-Z0-9]{16}[\s,:;|"'=])|G(?:OCSPX-|R1348941)|ya29\.|\dQ~|S(?:K[0-9a-fA-F]{32}|G\.)|h(?:v[sb]\.|f_)|d(?:api[a-f0-9]{32}|p\.[a-z]+\.|o[opr]_v1_)|PMAK-|lin_api_|NRAK-|HRKU-|\.atlasv1\.|eyJ/;

export function mightHoldSecret(text: string): boolean {
  return CONTEXT_WORDS.test(text) || PROVIDER_PREFIXES.test(text);
}

/**
 * Every alternative of the pre-scan holds an ASCII letter after `f` or a colon. Ids, hashes and
 * numbers (UUIDs, request ids, account ids) hold none, so this much cheaper test clears them.
 */
export const TRIGGER_CHARACTER = /[g-zG-Z:]/;
