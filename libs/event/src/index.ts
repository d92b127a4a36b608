export type { AccessClass, CanonicalEvent, FoundSecret, Outcome, SourceFormat } from './event.ts';
export { ACCESS_CLASSES, OUTCOMES, SOURCE_FORMATS } from './event.ts';
export { ipPrefix, isIp } from './ip.ts';
export type { FieldError, Validation } from './validate.ts';
export { formatFieldErrors, validateCanonicalEvent } from './validate.ts';
