import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fakeAwsSecretAccessKey, fakeGithubPat } from '../src/fake-secrets.ts';
import { BASE62, Rng } from '../src/rng.ts';

function base62(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor(n / 62)) s = BASE62[n % 62] + s;
  return s.padStart(6, '0');
}

describe('fake secrets', () => {
  it('makes GitHub PATs whose checksum verifies', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) {
      const pat = fakeGithubPat(rng);
      expect(pat).toMatch(/^ghp_[A-Za-z0-9]{36}$/);
      expect(pat.slice(34)).toBe(base62(crc32(pat.slice(4, 34))));
    }
  });

  it('makes 40-character AWS secret access keys', () => {
    expect(fakeAwsSecretAccessKey(new Rng(2))).toMatch(/^[A-Za-z0-9/+]{40}$/);
  });
});
