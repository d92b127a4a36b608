import { type CanonicalEvent, formatFieldErrors, validateCanonicalEvent } from '@keywatch/event';
import { cap } from './fields.ts';
import { reject } from './rejection.ts';

/**
 * Last step of every adapter: strings are capped (composed ones like `action` too), the event must
 * meet the canonical contract (a bug in a mapping becomes a dead letter naming the field, not a bad
 * event downstream), and its credential id must not be a redaction marker, which would merge every
 * key whose raw value was logged into one profile.
 */
export function finishEvent(event: CanonicalEvent, credentialField: string): CanonicalEvent {
  if (event.credentialId.includes('[REDACTED:')) {
    reject('no_credential', `${credentialField}: holds a secret value, not a public key id; log the key's id instead`);
  }
  const capped = Object.fromEntries(Object.entries(event).map(([k, v]) => [k, typeof v === 'string' ? cap(v) : v]));
  const checked = validateCanonicalEvent(capped);
  if (!checked.ok) reject('invalid_field', formatFieldErrors(checked.errors));
  return checked.event;
}
