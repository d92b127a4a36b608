import { type CanonicalEvent, type FoundSecret, formatFieldErrors, validateCanonicalEvent } from '@keywatch/event';
import { cap, MAX_FIELD_LENGTH } from './fields.ts';
import { reject } from './rejection.ts';

/**
 * Last step of every adapter: strings are capped (composed ones like `action` too), the event must
 * meet the canonical contract (a bug in a mapping becomes a dead letter naming the field, not a bad
 * event downstream), and its credential id must not be a redaction marker, which would merge every
 * key whose raw value was logged into one profile: a key logged raw is keyed by its fingerprint
 * (`secret:<fingerprint>`), so it keeps a baseline of its own and its leak raises `secret_in_logs`.
 */
export function finishEvent(event: CanonicalEvent, credentialField: string): CanonicalEvent {
  if (event.credentialId.includes('[REDACTED:')) {
    const leaked = secretAt(event.secrets, credentialField);
    if (leaked === undefined) {
      reject('no_credential', `${credentialField}: holds a secret value, not a public key id; log the key's id instead`);
    }
    event = { ...event, credentialId: `secret:${leaked.fingerprint}` };
  }
  const checked = validateCanonicalEvent(capStrings(event));
  if (!checked.ok) reject('invalid_field', formatFieldErrors(checked.errors));
  return checked.event;
}

/** Nearly every event has no string over the cap: copy only the one that has (validation copies it anyway). */
function capStrings(event: CanonicalEvent): CanonicalEvent | Record<string, unknown> {
  for (const key in event) {
    const value = event[key as keyof CanonicalEvent];
    if (Object.hasOwn(event, key) && typeof value === 'string' && value.length > MAX_FIELD_LENGTH) {
      return Object.fromEntries(Object.entries(event).map(([k, v]) => [k, typeof v === 'string' ? cap(v) : v]));
    }
  }
  return event;
}

/** The finding at the credential field (`a.b`, or alternatives `a.b | c`), wherever the record sat in its envelope. */
function secretAt(secrets: readonly FoundSecret[], credentialField: string): FoundSecret | undefined {
  const fields = credentialField.split(' | ');
  return secrets.find((s) => fields.some((f) => s.path === f || s.path.endsWith(`.${f}`) || s.path.endsWith(`]${f}`)));
}
