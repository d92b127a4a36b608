export type { RedactionResult, RedactOptions } from './find-and-redact.ts';
export { findAndRedact } from './find-and-redact.ts';
export { fingerprint } from './fingerprint.ts';
export { secretKindForKey } from './key-names.ts';
export { isPlaceholder } from './placeholder.ts';
export type { StringFinding } from './redact-string.ts';
export { marker, redactString } from './redact-string.ts';
