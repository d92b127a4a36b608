import { AWS_ID } from './credential-shape.ts';

/**
 * What a name (an object key, or the `Name`/`Key` beside a `Value`) says about the string it labels.
 *
 * - **Named secrets** (`password`, `x-api-key`, `client_secret`, `sessionToken`, `Authorization`): the
 *   whole value is a secret whatever it looks like. Compared without case and separators, by suffix,
 *   so `dbPassword` and `DB_PASSWORD` count too.
 * - **Credential-like names** (`sync-credentials`, `auth`, `signingKey`, `DB_CREDS`): the approach of
 *   gitleaks' generic-api-key rule: a keyword anywhere in the name, and the value must look like a
 *   credential (see `looksLikeCredential`), because such names also label ids, sizes and flags.
 * - **Known non-secrets** (`clientRequestToken`, `NextToken`, `hashed_token`, `publicKey`): never a
 *   secret by name. Their values are still scanned for token formats.
 */

export interface NameRule {
  kind: string;
  /** True for credential-like names: the value must also look like a credential. */
  generic: boolean;
  /** Shortest value reported as a secret under a named secret (passwords are often short). */
  minLength: number;
}

/**
 * Names that end like a secret but label values that are public or random without being secret:
 * idempotency tokens (AWS `clientToken`, `clientRequestToken`, Stripe `Idempotency-Key`), pagination
 * tokens (`NextToken`, `nextPageToken`, `ContinuationToken`, `Marker`), GitHub's published token hash,
 * CSRF tokens (per-session, useless without the session cookie), public keys.
 */
const NOT_SECRET_SUFFIXES = [
  'clienttoken',
  'requesttoken',
  'idempotencytoken',
  'idempotencykey',
  'nexttoken',
  'pagetoken',
  'paginationtoken',
  'continuationtoken',
  'startingtoken',
  'resumptiontoken',
  'synctoken',
  'hashedtoken',
  'csrftoken',
  'xsrftoken',
  'publickey',
  'publictoken',
];

const PASSWORD_MIN = 3;
const DEFAULT_MIN = 8;

/** Ordered: the first matching suffix decides the kind. */
const SUFFIX_RULES: readonly (readonly [string, NameRule])[] = [
  ['proxyauthorization', named('authorization_header')],
  ['authorization', named('authorization_header')],
  ['sessiontoken', named('aws_session_token')],
  ['securitytoken', named('aws_session_token')],
  ['secretaccesskey', named('aws_secret_access_key')],
  ['awssecretkey', named('aws_secret_access_key')],
  ['privatekey', named('private_key')],
  ['password', named('password', PASSWORD_MIN)],
  ['passwd', named('password', PASSWORD_MIN)],
  ['passphrase', named('password', PASSWORD_MIN)],
  ['pwd', named('password', PASSWORD_MIN)],
  ['apikey', named('api_key')],
  ['secretkey', named('secret')],
  ['secretstring', named('secret')],
  ['secretbinary', named('secret')],
  ['secret', named('secret')],
  ['token', named('token')],
];

function named(kind: string, minLength = DEFAULT_MIN): NameRule {
  return { kind, generic: false, minLength };
}

const PASS = named('password', PASSWORD_MIN);
const GENERIC: NameRule = { kind: 'generic_secret', generic: true, minLength: 10 };

/** Keywords of gitleaks' generic-api-key rule, searched anywhere in the normalised name. */
const GENERIC_KEYWORDS = /secret|token|passw|pwd|credential|creds|apikey|auth|key/;

/**
 * Credential-like names that label something else: ids, names, sizes, dates, hashes, key material
 * that is public, S3 object keys, database keys, `author`. Tested on the normalised name.
 */
const GENERIC_EXCEPTIONS =
  /(?:ids?|arns?|names?|types?|count|length|size|version|urls?|uri|endpoint|path|file|region|status|state|usage|spec|format|algorithm|alias|policy|date|time|timestamp|expiration|expiry|expires|ttl|prefix|suffix|hash|checksum|digest|fingerprint|enabled|required|location|provider|source|mode|scope|scopes|origin|schema|rotation|period|days|reference|number)$|public|author(?!i)|keyword|monkey|turkey|keyboard|keypair|^key$|keys$|objectkey|s3key|partitionkey|sortkey|rangekey|hashkey|primarykey|foreignkey|cachekey|bucketkey|routekey|keymarker/;

/** Last letters of the named suffixes: a key ending in another letter or digit matches none of them. */
const SUFFIX_ENDINGS = new Set(SUFFIX_RULES.map(([suffix]) => suffix.at(-1)));

export function ruleForName(name: string): NameRule | null {
  if (name.length > 128 || name.length < 3 || AWS_ID.test(name)) return null;
  const k = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const suffix of NOT_SECRET_SUFFIXES) if (k.endsWith(suffix)) return null;
  const last = k.charCodeAt(k.length - 1);
  if (SUFFIX_ENDINGS.has(String.fromCharCode(last))) {
    for (const [suffix, rule] of SUFFIX_RULES) if (k.endsWith(suffix)) return rule;
  }
  // `pass` alone or after a separator (`DB_PASS`, `smtpPass`), not `bypass` or `compass`.
  if (/(?:^|[^A-Za-z])(?:[Pp]ass|PASS)$|[a-z]Pass$/.test(name)) return PASS;
  if (GENERIC_KEYWORDS.test(k) && !GENERIC_EXCEPTIONS.test(k)) return GENERIC;
  return null;
}

/** The kind a name implies (`x-api-key` → `api_key`), or null: named secrets and credential-like names. */
export function secretKindForKey(key: string): string | null {
  return ruleForName(key)?.kind ?? null;
}
