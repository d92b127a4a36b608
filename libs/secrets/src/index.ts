export { looksLikeCredential, shannonEntropy } from './credential-shape.ts';
export type { RedactionResult, RedactOptions } from './find-and-redact.ts';
export { findAndRedact } from './find-and-redact.ts';
export type { Fingerprinter } from './fingerprint.ts';
export {
  createFingerprinter,
  FINGERPRINT_KEY_BYTES,
  fingerprint,
  newFingerprintKey,
  parseFingerprintKey,
} from './fingerprint.ts';
export type { NameRule } from './key-names.ts';
export { ruleForName, secretKindForKey } from './key-names.ts';
export { lineHoldsNoSecret } from './line-prescan.ts';
export { isPlaceholder } from './placeholder.ts';
export type { StringFinding } from './redact-string.ts';
export { marker, redactString } from './redact-string.ts';
