import { crc32 } from 'node:zlib';
import { AWS_ID_CHARS, BASE62, type Rng } from './rng.ts';

const AWS_SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+';

/** A random value shaped like an AWS secret access key (40 chars). Never a real credential. */
export function fakeAwsSecretAccessKey(rng: Rng): string {
  return rng.chars(AWS_SECRET_CHARS, 40);
}

export function fakeAwsAccessKeyId(rng: Rng): string {
  return `AKIA${rng.chars(AWS_ID_CHARS, 16)}`;
}

/**
 * A random classic GitHub PAT: `ghp_` + 30 random base62 chars + the base62 CRC32 checksum GitHub appends,
 * so scanners that verify the checksum recognise it. Never a real token.
 */
export function fakeGithubPat(rng: Rng): string {
  const body = rng.chars(BASE62, 30);
  let n = crc32(body);
  let checksum = '';
  while (n > 0) {
    checksum = BASE62[n % 62] + checksum;
    n = Math.floor(n / 62);
  }
  return `ghp_${body}${checksum.padStart(6, '0')}`;
}
