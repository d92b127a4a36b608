import { createHmac, randomBytes } from 'node:crypto';

/** Turns a secret into a short id that matches the same secret again and reveals nothing about it. */
export type Fingerprinter = (secret: string) => string;

/** Bytes of a fingerprint key: as many as the SHA-256 block needs to be a full-strength HMAC key. */
export const FINGERPRINT_KEY_BYTES = 32;

/**
 * Keyed HMAC-SHA-256, first 12 hex characters. Without the key nobody can test a guess (`Summer2024!`
 * from a wordlist) against a fingerprint; with the same key, the same secret always gets the same
 * fingerprint, so an operator can match alerts to each other and to a key they hold (docs/secrets.md).
 */
export function createFingerprinter(key: Uint8Array): Fingerprinter {
  if (key.length < 16) throw new Error(`fingerprint key: ${key.length} bytes; at least 16 are needed`);
  const k = Buffer.from(key);
  return (secret) => createHmac('sha256', k).update(secret, 'utf8').digest('hex').slice(0, 12);
}

/** A new random fingerprint key, to be kept with the state. */
export function newFingerprintKey(): Uint8Array {
  return randomBytes(FINGERPRINT_KEY_BYTES);
}

/**
 * Reads a configured key: hex (64 characters) or base64 of at least 16 bytes. Errors name the problem,
 * never the value.
 */
export function parseFingerprintKey(text: string, source: string): Uint8Array {
  const t = text.trim();
  const bytes = /^(?:[0-9a-fA-F]{2}){16,}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (bytes.length < 16 || (!/^[0-9a-fA-F]+$/.test(t) && !/^[A-Za-z0-9+/_-]+={0,2}$/.test(t))) {
    throw new Error(`${source}: a fingerprint key must be hex or base64 of at least 16 random bytes`);
  }
  return bytes;
}

/**
 * Used when no key is given (tests, a `keywatch run` without a state file): random per process, so
 * fingerprints match within the run and mean nothing outside it.
 */
const PROCESS_FINGERPRINTER = createFingerprinter(newFingerprintKey());

/** Fingerprint with this process's key; pipelines pass their installation's fingerprinter instead. */
export function fingerprint(value: string): string {
  return PROCESS_FINGERPRINTER(value);
}
