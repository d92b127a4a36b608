import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rng } from '../../../test/seeded-random.ts';
import { findAndRedact, fingerprint } from '../src/index.ts';
import { MIN_TEXT_LENGTH, redactString, scanAll } from '../src/redact-string.ts';
import { randomChars } from './samples.ts';

/**
 * Property: wherever a secret is planted in a real-world record (as a value under a secret-named
 * key, beside a credential-like name in a name/value pair, replacing a value, or inside an existing
 * string), it never survives redaction, and the pre-scan never rules out a string the full scan
 * finds a secret in.
 */

const CORPUS = new URL('../../../../shared/corpora/panther/', import.meta.url);
const present = existsSync(CORPUS);
if (!present)
  console.log(
    "planted secrets: skipped, ../shared/corpora/panther (Panther's public rule-test fixtures, Apache-2.0) is not next to this clone; development and CI checkouts have it, see README.md, Development",
  );
const records = (present ? ['aws_cloudtrail', 'gcp_audit', 'github_audit'] : []).flatMap((file) =>
  readFileSync(new URL(`${file}.ndjson`, CORPUS), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown),
);

type Next = () => number;
const pick = <T>(next: Next, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Secret generators: token formats that are detected anywhere (gitleaks' default shapes and ours). */
export const TOKEN_FORMATS: readonly ((next: Next) => string)[] = [
  (n) => ['sk', pick(n, ['live', 'test']), randomChars(n, 24)].join('_'),
  (n) => `${pick(n, ['ghp', 'gho', 'ghu', 'ghs', 'ghr'])}_${randomChars(n, 36)}`,
  (n) => `github_pat_${randomChars(n, 22)}_${randomChars(n, 59)}`,
  (n) => `${pick(n, ['glpat', 'gldt', 'glrt', 'glptt'])}-${randomChars(n, 20)}`,
  (n) => `npm_${randomChars(n, 36)}`,
  (n) => `pypi-AgEIcHlwaS5vcmc${randomChars(n, 60)}`,
  (n) => `${pick(n, ['xoxb', 'xoxp', 'xoxa'])}-${randomChars(n, 12, '0123456789')}-${randomChars(n, 24)}`,
  (n) => `AIza${randomChars(n, 35)}`,
  (n) => `sk-proj-${randomChars(n, 64)}`,
  (n) => `sk-ant-api03-${randomChars(n, 64)}`,
  (n) => `SG.${randomChars(n, 22)}.${randomChars(n, 43)}`,
  (n) => `SK${randomChars(n, 32, HEX)}`,
  (n) => `${randomChars(n, 3)}${Math.floor(n() * 10)}Q~${randomChars(n, 34)}`,
  (n) => `hvs.${randomChars(n, 90)}`,
  (n) => `eyJ${randomChars(n, 20)}.eyJ${randomChars(n, 30)}.${randomChars(n, 43)}`,
  (n) => `https://hooks.slack.com/services/T${randomChars(n, 8)}/B${randomChars(n, 8)}/${randomChars(n, 24)}`,
  (n) => `-----BEGIN PRIVATE KEY-----\n${randomChars(n, 64, B64)}\n-----END PRIVATE KEY-----`,
];
/** Keys whose value is a secret whatever it looks like. */
const SECRET_KEYS = ['password', 'apikey', 'x-api-key', 'client_secret', 'sessionToken', 'authorization', 'token', 'DB_PASS'];
/** Credential-like names: the value is a secret when it looks like one. */
const CREDENTIAL_NAMES = ['sync-credentials', 'auth', 'signingKey', 'deploy_creds', 'API_TOKEN'];

/** All containers (objects and arrays) inside a value, to pick a planting spot from. */
function containers(value: unknown, out: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
  if (typeof value === 'object' && value !== null) {
    out.push(value as Record<string, unknown> | unknown[]);
    for (const child of Object.values(value)) containers(child, out);
  }
  return out;
}

/** `value` is what was written into the record: the secret itself or a string around it. */
function plant(record: unknown, next: Next): { record: unknown; secret: string; value: string } {
  const copy = structuredClone(record) as Record<string, unknown>;
  const spot = pick(next, containers(copy));
  const strategy = Math.floor(next() * 4);
  if (strategy === 0) {
    // A random-looking value under a secret-named key: only the key name gives it away.
    const secret = randomChars(
      next,
      8 + Math.floor(next() * 40),
      'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+_-.~',
    );
    const target = Array.isArray(spot) ? {} : spot;
    if (Array.isArray(spot)) spot.push(target);
    target[pick(next, SECRET_KEYS)] = secret;
    return { record: copy, secret, value: secret };
  }
  if (strategy === 1) {
    // A 40-character AWS-secret-shaped value in a name/value pair (tag, environment variable).
    const secret = `${randomChars(next, 20, B64)}${Math.floor(next() * 10)}${randomChars(next, 19, B64)}`;
    const [nameKey, valueKey] = pick(next, [
      ['Key', 'Value'],
      ['key', 'value'],
      ['Name', 'Value'],
      ['name', 'value'],
      ['ParameterKey', 'ParameterValue'],
    ] as const);
    const pair = { [nameKey]: pick(next, CREDENTIAL_NAMES), [valueKey]: secret };
    if (Array.isArray(spot)) spot.push(pair);
    else spot[`planted${Math.floor(next() * 1000)}`] = [pair];
    return { record: copy, secret, value: secret };
  }
  const secret = pick(next, TOKEN_FORMATS)(next);
  const keys = Array.isArray(spot) ? spot.map((_, i) => String(i)) : Object.keys(spot);
  const key = keys.length > 0 && next() < 0.7 ? pick(next, keys) : `planted${Math.floor(next() * 1000)}`;
  const current = (spot as Record<string, unknown>)[key];
  const value =
    strategy === 2 || typeof current !== 'string'
      ? secret
      : `${current} ${pick(next, ['', 'token=', 'Bearer ', 'key: ', '"', '('])}${secret}${pick(next, ['', ' ', '"', '&x=1', ')', '\n'])}`;
  if (Array.isArray(spot)) spot.push(value);
  else spot[key] = value;
  return { record: copy, secret, value };
}

/** Every string (values and keys) in a value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  }
  return out;
}

describe.skipIf(!present)('planted secrets never survive redaction', () => {
  it('holds for 3000 random plantings into corpus records', () => {
    const next = rng(20260304);
    for (let i = 0; i < 3000; i++) {
      const original = pick(next, records);
      const { record, secret, value } = plant(original, next);
      const { redacted, secrets } = findAndRedact(record);
      const output = JSON.stringify(redacted);
      const context = `case ${i}: ${secret}`;
      expect(output.includes(secret.split('\n')[1] ?? secret), context).toBe(false);
      // Reported either precisely, or as the whole value when it sits under a secret-named key.
      const reported = new Set(secrets.map((s) => s.fingerprint));
      expect(reported.has(fingerprint(secret)) || reported.has(fingerprint(value)), context).toBe(true);
    }
  });

  it('the pre-scan never rules out a string in which the full scan finds a secret', () => {
    const next = rng(7);
    let withSecret = 0;
    for (let i = 0; i < 1500; i++) {
      const { record } = plant(pick(next, records), next);
      for (const s of strings(record)) {
        const full = scanAll(s);
        if (full.findings.length === 0 || s.length < MIN_TEXT_LENGTH) continue;
        withSecret++;
        expect(redactString(s), s).toEqual(full);
      }
    }
    expect(withSecret).toBeGreaterThan(500);
  });
});
