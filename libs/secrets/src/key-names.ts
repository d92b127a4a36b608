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

/** Last letters of the suffixes above: a key ending in any other letter or digit matches none. */
const SUFFIX_ENDINGS = new Set(SUFFIX_KINDS.map(([suffix]) => suffix.at(-1)));

export function secretKindForKey(key: string): string | null {
  if (key.length > 64) return null;
  // Most keys (and the `name` values of name/value pairs) end in an ASCII letter or digit that no suffix
  // ends in: skip the normalising replace for them. Other endings take the full path below.
  const last = key.charCodeAt(key.length - 1);
  if (isAsciiAlnum(last) && !SUFFIX_ENDINGS.has(String.fromCharCode(last | 0x20))) return null;
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (NOT_SECRET.has(k)) return null;
  for (const [suffix, kind] of SUFFIX_KINDS) if (k.endsWith(suffix)) return kind;
  return null;
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
