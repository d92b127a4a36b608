/**
 * Object keys whose string value is a secret whatever it looks like (`password`, `x-api-key`,
 * `sessionToken`, `Authorization`). Keys are compared without case and separators, by suffix, so
 * `dbPassword` and `client_secret` count too.
 */

/** Keys that end like a secret name but hold public or harmless values. */
const NOT_SECRET = new Set([
  'hashedtoken', // GitHub: base64(sha256(token)), public by design
  'nexttoken',
  'pagetoken',
  'nextpagetoken',
  'paginationtoken',
  'continuationtoken',
  'startingtoken',
  'resumptiontoken',
  'synctoken',
  'clienttoken', // AWS idempotency token
  'idempotencytoken',
]);

/** Ordered: the first matching suffix decides the kind. */
const SUFFIX_KINDS: readonly (readonly [string, string])[] = [
  ['proxyauthorization', 'authorization_header'],
  ['authorization', 'authorization_header'],
  ['sessiontoken', 'aws_session_token'],
  ['securitytoken', 'aws_session_token'],
  ['secretaccesskey', 'aws_secret_access_key'],
  ['awssecretkey', 'aws_secret_access_key'],
  ['privatekey', 'private_key'],
  ['password', 'password'],
  ['passwd', 'password'],
  ['passphrase', 'password'],
  ['apikey', 'api_key'],
  ['secretkey', 'secret'],
  ['secret', 'secret'],
  ['token', 'token'],
];

export function secretKindForKey(key: string): string | null {
  if (key.length > 64) return null;
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (NOT_SECRET.has(k)) return null;
  for (const [suffix, kind] of SUFFIX_KINDS) if (k.endsWith(suffix)) return kind;
  return null;
}
