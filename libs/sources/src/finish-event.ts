import type { CanonicalEvent, FoundSecret } from '@keywatch/event';
import { cap, MAX_FIELD_LENGTH } from './fields.ts';
import { reject } from './rejection.ts';

/**
 * Last step of every adapter: strings are capped (composed ones like `action` too), the event gets the
 * canonical shape, and its credential id must not be a redaction marker, which would merge every key whose
 * raw value was logged into one profile: a key logged raw is keyed by its fingerprint (`secret:<fingerprint>`),
 * so it keeps a baseline of its own and its leak raises `secret_in_logs`.
 *
 * The event is not validated again: adapters build it from typed readers (`str`, `text`, `parseTime`,
 * `callerAddress`) that already give what the contract asks (non-empty strings, an ISO time in range, a real
 * IP), and validating our own output cost a copy and about 1 µs per event (docs/benchmarks.md). Records in
 * the `canonical` format, which come from outside, are validated by its mapper; a test holds every adapter's
 * output on the corpora to `validateCanonicalEvent`.
 */
export function finishEvent(event: CanonicalEvent, credentialField: string): CanonicalEvent {
  if (event.credentialId.includes('[REDACTED:')) {
    const leaked = secretAt(event.secrets, credentialField);
    if (leaked === undefined) {
      reject('no_credential', `${credentialField}: holds a secret value, not a public key id; log the key's id instead`);
    }
    event = { ...event, credentialId: `secret:${leaked.fingerprint}` };
  }
  return canonicalShape(capStrings(event) as CanonicalEvent);
}

/**
 * The event as `validateCanonicalEvent` returns it: its fields in contract order, an empty optional string as
 * null, and the optional identity fields only when they hold something. Events and alerts stay byte-identical
 * to what validation produced.
 */
function canonicalShape(e: CanonicalEvent): CanonicalEvent {
  const out: CanonicalEvent = {
    id: e.id,
    time: e.time,
    provider: e.provider,
    source: e.source,
    credentialId: e.credentialId,
    principal: e.principal || null,
    account: e.account || null,
    sourceIp: e.sourceIp || null,
    sourceAddress: e.sourceAddress || null,
    userAgent: e.userAgent || null,
    action: e.action,
    resource: e.resource || null,
    accessClass: e.accessClass,
    outcome: e.outcome,
    errorCode: e.errorCode || null,
    region: e.region || null,
    secrets: e.secrets,
  };
  if (e.credentialKind) out.credentialKind = e.credentialKind;
  if (e.identity) out.identity = e.identity;
  if (e.session) out.session = e.session;
  if (e.sourceCountry) out.sourceCountry = e.sourceCountry;
  return out;
}

/** Nearly every event has no string over the cap: copy only the one that has. */
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
