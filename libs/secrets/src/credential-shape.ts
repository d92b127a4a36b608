/**
 * Does a value under a credential-like name look like a credential? The value test of gitleaks'
 * generic-api-key rule: token characters only, 10+ long, at least one digit (or base64 padding/`+/`)
 * and Shannon entropy of at least 3.5 bits a character; plus what audit records hold under such
 * names without being secret: AWS access key ids, ARNs, dates, paths and URLs.
 */
const TOKEN_CHARS = /^[A-Za-z0-9_.=+/~-]{10,1024}$/;
const LETTERS_ONLY = /^[A-Za-z_.-]+$/;
/**
 * AWS access key ids (20 characters) and unique ids of users, roles, groups, policies and instance profiles
 * (`AIDA…`, `AROA…`, 21): public identifiers, which CloudTrail logs as values and, in `AROA…:session`, in front
 * of a colon (where a random id can contain a keyword: `AROAB…UPWD…`).
 */
export const AWS_ID = /^(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16,17}$/;
/**
 * A slash with a dot, or slashes in lower-case text: a path or object key (`logs/2024/01/x.json.gz`,
 * `/prod/app/db`), not base64, which has both cases (and may start with a slash).
 */
const PATH_LIKE = /\/.*\.|\.[^/]*\/|^[a-z0-9_/-]*\/[a-z0-9_/-]*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
export const MIN_ENTROPY = 3.5;

export function looksLikeCredential(value: string): boolean {
  return (
    TOKEN_CHARS.test(value) &&
    !LETTERS_ONLY.test(value) &&
    !AWS_ID.test(value) &&
    !PATH_LIKE.test(value) &&
    !ISO_DATE.test(value) &&
    shannonEntropy(value) >= MIN_ENTROPY
  );
}

/** Bits per character of the value's own character distribution. */
export function shannonEntropy(value: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
