import {
  ACCESS_CLASSES,
  type CanonicalEvent,
  CREDENTIAL_KINDS,
  type FoundSecret,
  inEventTimeRange,
  OUTCOMES,
  SOURCE_FORMAT_PATTERN,
} from './event.ts';
import { isIp } from './ip.ts';

/** Why a value is not a canonical event: the field and what is wrong with it. */
export interface FieldError {
  field: string;
  problem: string;
}

export type Validation = { ok: true; event: CanonicalEvent } | { ok: false; errors: FieldError[] };

const MAX_STRING = 4096;

/**
 * Checks an unknown value against the canonical event contract. Used at every boundary where events
 * enter from outside (the `canonical` source format, the Kafka events topic), so a bad producer gets
 * an error naming the field instead of a crash further down.
 */
export function validateCanonicalEvent(value: unknown): Validation {
  const errors: FieldError[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ field: '(root)', problem: 'must be a JSON object' }] };
  }
  const v = value as Record<string, unknown>;

  const str = (field: string, required: boolean): string | null => {
    const x = v[field];
    if (x === undefined || x === null || x === '') {
      if (required) errors.push({ field, problem: 'required' });
      return null;
    }
    if (typeof x !== 'string') {
      errors.push({ field, problem: `must be a string, got ${typeof x}` });
      return null;
    }
    if (x.length > MAX_STRING) {
      errors.push({ field, problem: `longer than ${MAX_STRING} characters` });
      return null;
    }
    return x;
  };
  const oneOf = <T extends string>(field: string, allowed: readonly T[], fallback: T | null): T | null => {
    const x = v[field];
    if (x === undefined && fallback !== null) return fallback;
    if (typeof x === 'string' && (allowed as readonly string[]).includes(x)) return x as T;
    errors.push({ field, problem: `must be one of ${allowed.join(', ')}` });
    return null;
  };

  const id = str('id', true);
  const rawTime = str('time', true);
  let time: string | null = null;
  if (rawTime !== null) {
    const ms = Date.parse(rawTime);
    if (Number.isNaN(ms)) errors.push({ field: 'time', problem: `not a date: ${JSON.stringify(rawTime.slice(0, 40))}` });
    else if (!inEventTimeRange(ms))
      errors.push({ field: 'time', problem: `${JSON.stringify(rawTime.slice(0, 40))} is outside 2000-01-01..2100-01-01 UTC` });
    else time = new Date(ms).toISOString();
  }
  const provider = str('provider', true);
  const source = v.source === undefined ? 'canonical' : str('source', true);
  if (source !== null && !SOURCE_FORMAT_PATTERN.test(source))
    errors.push({ field: 'source', problem: 'must be a format id (lower-case letters, digits, -)' });
  const credentialId = str('credentialId', true);
  const sourceIp = str('sourceIp', false);
  if (sourceIp !== null && !isIp(sourceIp))
    errors.push({ field: 'sourceIp', problem: 'not an IPv4 or IPv6 address (put other addresses in sourceAddress)' });
  const action = str('action', true);
  const accessClass = oneOf('accessClass', ACCESS_CLASSES, 'unknown');
  const outcome = oneOf('outcome', OUTCOMES, 'success');
  const secrets = validateSecrets(v.secrets, errors);
  const credentialKind =
    v.credentialKind === undefined || v.credentialKind === null ? null : oneOf('credentialKind', CREDENTIAL_KINDS, null);
  const sourceCountry = str('sourceCountry', false);
  if (sourceCountry !== null && !/^[A-Z]{2}$/.test(sourceCountry))
    errors.push({ field: 'sourceCountry', problem: 'must be an ISO 3166-1 alpha-2 code (upper case)' });

  const event: CanonicalEvent = {
    id: id ?? '',
    time: time ?? '',
    provider: provider ?? '',
    source: source ?? 'canonical',
    credentialId: credentialId ?? '',
    principal: str('principal', false),
    account: str('account', false),
    sourceIp,
    sourceAddress: str('sourceAddress', false),
    userAgent: str('userAgent', false),
    action: action ?? '',
    resource: str('resource', false),
    accessClass: accessClass ?? 'unknown',
    outcome: outcome ?? 'success',
    errorCode: str('errorCode', false),
    region: str('region', false),
    secrets,
  };
  // Optional identity fields are only set when present, so events without them stay as they were.
  if (credentialKind !== null) event.credentialKind = credentialKind;
  const identity = str('identity', false);
  if (identity !== null) event.identity = identity;
  const session = str('session', false);
  if (session !== null) event.session = session;
  if (sourceCountry !== null) event.sourceCountry = sourceCountry;
  return errors.length > 0 ? { ok: false, errors } : { ok: true, event };
}

function validateSecrets(x: unknown, errors: FieldError[]): FoundSecret[] {
  if (x === undefined || x === null) return [];
  if (!Array.isArray(x)) {
    errors.push({ field: 'secrets', problem: 'must be an array' });
    return [];
  }
  const out: FoundSecret[] = [];
  x.forEach((s, i) => {
    const o = s as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null || typeof o.kind !== 'string' || typeof o.path !== 'string') {
      errors.push({ field: `secrets[${i}]`, problem: 'must be {kind, path, fingerprint}' });
      return;
    }
    const secret: FoundSecret = {
      kind: o.kind,
      path: o.path,
      fingerprint: typeof o.fingerprint === 'string' ? o.fingerprint : '',
    };
    if (o.alert === false) secret.alert = false;
    out.push(secret);
  });
  return out;
}

export function formatFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.problem}`).join('; ');
}
