import type { FoundSecret } from '@keywatch/event';
import { findAndRedact, type RedactOptions } from '@keywatch/secrets';

/** Raw text kept in a dead letter (an unparseable line, a bad message) is cut to this length. */
export const MAX_RAW_LENGTH = 200;
const UNREADABLE = '[TRUNCATED:unreadable]';

/** Redacts a provider record before anything reads it; `path` places findings in the input record. */
export function redactRecord(
  value: unknown,
  path: string,
  options: Pick<RedactOptions, 'secretPaths' | 'routinePaths' | 'fingerprint'> = {},
): { record: unknown; secrets: FoundSecret[] } {
  const { redacted, secrets } = findAndRedact(value, { path, ...options });
  return { record: redacted, secrets };
}

/**
 * For dead letters: the value redacted, and raw text also cut short. Redaction runs first, on the
 * whole text, so that a secret cut in half cannot slip past the detectors.
 */
export function redactForDeadLetter(value: unknown): unknown {
  try {
    const { redacted } = findAndRedact(value);
    return typeof redacted === 'string' && redacted.length > MAX_RAW_LENGTH ? `${redacted.slice(0, MAX_RAW_LENGTH)}…` : redacted;
  } catch {
    // Not reachable with parsed JSON; if it ever is, drop the record rather than keep it unredacted.
    return UNREADABLE;
  }
}
