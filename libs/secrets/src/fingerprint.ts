import { createHash } from 'node:crypto';

/** First 12 hex chars of SHA-256: lets an operator match a finding to a known key without revealing it. */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 12);
}
