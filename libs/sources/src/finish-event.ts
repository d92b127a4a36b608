import type { CanonicalEvent, FoundSecret } from '@keywatch/event';
import { cap } from './fields.ts';
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
  return canonicalShape(event);
}

/**
 * The event as `validateCanonicalEvent` returns it: its fields in contract order, an empty optional string as
 * null, and the optional identity fields only when they hold something. Every string is capped here, composed
 * ones (`action`) too. Events and alerts stay byte-identical to what validation produced.
 */
function canonicalShape(e: CanonicalEvent): CanonicalEvent {
  const out: CanonicalEvent = {
    id: cap(e.id),
    time: cap(e.time),
    provider: cap(e.provider),
    source: cap(e.source),
    credentialId: cap(e.credentialId),
    principal: capped(e.principal),
    account: capped(e.account),
    sourceIp: capped(e.sourceIp),
    sourceAddress: capped(e.sourceAddress),
    userAgent: capped(e.userAgent),
    action: cap(e.action),
    resource: capped(e.resource),
    accessClass: e.accessClass,
    outcome: e.outcome,
    errorCode: capped(e.errorCode),
    region: capped(e.region),
    secrets: e.secrets,
  };
  if (e.credentialKind) out.credentialKind = e.credentialKind;
  if (e.identity) out.identity = cap(e.identity);
  if (e.session) out.session = cap(e.session);
  if (e.sourceCountry) out.sourceCountry = cap(e.sourceCountry);
  return out;
}

/** An optional string as the contract has it: capped, and null when empty or absent. */
function capped(value: string | null | undefined): string | null {
  return value ? cap(value) : null;
}

/** The finding at the credential field (`a.b`, or alternatives `a.b | c`), wherever the record sat in its envelope. */
function secretAt(secrets: readonly FoundSecret[], credentialField: string): FoundSecret | undefined {
  const fields = credentialField.split(' | ');
  return secrets.find((s) => fields.some((f) => s.path === f || s.path.endsWith(`.${f}`) || s.path.endsWith(`]${f}`)));
}
