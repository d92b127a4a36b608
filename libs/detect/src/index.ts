export type { Client, ClientKind } from './client.ts';
export { CLIENT_KINDS, clientOf, userAgentFamily } from './client.ts';
export {
  decodeProfile,
  encodeProfile,
  encodeProfileInto,
  MAX_ENCODED_PROFILE_BYTES,
  PROFILE_CODEC_VERSION,
} from './codec.ts';
export { alertIdFor, combineRisk, detect } from './detect.ts';
export type { AlertValues, CoreOptions, Detector, DetectorContext, SuppressionCriteria } from './detector.ts';
export { defineDetector } from './detector.ts';
export { distanceKm, physicalLocation } from './detectors/impossible-travel.ts';
export type { EventFacts } from './facts.ts';
export { isAuthorizationFailure } from './failures.ts';
export type { AlertFacts } from './feedback.ts';
export { benignSuppression, teachBenign, unlearnMalicious } from './feedback.ts';
export { hash32 } from './hash.ts';
export type { DetectOptions, DetectorOptions } from './options.ts';
export { DEFAULT_DETECT_OPTIONS, detectOptionsSchema, detectorOptionsSchema, withDefaults } from './options.ts';
export type {
  ActionPeak,
  ActionVocabulary,
  FailureWindow,
  FreshAction,
  HourCount,
  LocatedPoint,
  OpenGroup,
  Profile,
  RecentEvent,
  SeenValue,
  VolumeStats,
} from './profile.ts';
export {
  ACTION_BITS,
  ACTION_PEAKS,
  ACTION_WORDS,
  ACTIVITY_BUCKETS,
  activityBucket,
  emptyProfile,
  FRESH_ACTIONS,
  PROFILE_LIMITS,
  RECENT_EVENTS,
} from './profile.ts';
export type { AnyDetector, DetectorId } from './registry.ts';
export { DETECTOR_IDS, DETECTOR_NAMES, DETECTORS, detectorById, isDetectorId } from './registry.ts';
export type { Suppression } from './suppress.ts';
export { suppressionFor } from './suppress.ts';
export type { DetectInput, DetectResult, EvidenceValue, Finding, GroupedFinding, Verdict } from './types.ts';
