export type { AccessClass, CanonicalEvent, CredentialKind, FoundSecret, Outcome } from './event.ts';
export {
  ACCESS_CLASSES,
  CREDENTIAL_KINDS,
  EVENT_TIME_RANGE,
  inEventTimeRange,
  OUTCOMES,
  SOURCE_FORMAT_PATTERN,
} from './event.ts';
export { ipPrefix, isIp } from './ip.ts';
export { canonicalMillis, isoMillis } from './time.ts';
export type { FieldError, Validation } from './validate.ts';
export { formatFieldErrors, validateCanonicalEvent } from './validate.ts';
