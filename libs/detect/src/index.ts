export {
  decodeProfile,
  encodeProfile,
  encodeProfileInto,
  MAX_ENCODED_PROFILE_BYTES,
  PROFILE_CODEC_VERSION,
} from './codec.ts';
export { alertIdFor, combineRisk, detect } from './detect.ts';
export { distanceKm, isAuthorizationFailure, physicalLocation, userAgentFamily } from './detectors.ts';
export type { AlertFacts } from './feedback.ts';
export { benignSuppression, teachBenign, unlearnMalicious } from './feedback.ts';
export { hash32 } from './hash.ts';
export type { DetectorId } from './ids.ts';
export { DETECTOR_IDS, DETECTOR_NAMES, isDetectorId } from './ids.ts';
export type { DetectOptions } from './options.ts';
export { DEFAULT_DETECT_OPTIONS, withDefaults } from './options.ts';
export type { FailureWindow, HourCount, LocatedPoint, OpenGroup, Profile, SeenValue } from './profile.ts';
export { emptyProfile, PROFILE_LIMITS } from './profile.ts';
export type { Suppression } from './suppress.ts';
export { suppressionFor } from './suppress.ts';
export type { DetectInput, DetectResult, EvidenceValue, Finding, GroupedFinding } from './types.ts';
