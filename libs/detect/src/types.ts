import type { GeoInfo, TimeInfo } from '@keywatch/enrich';
import type { CanonicalEvent } from '@keywatch/event';
import type { KeyInfo } from '@keywatch/registry';
import type { DetectorId } from './registry.ts';

/** An event with everything the detectors need to know about it. */
export interface DetectInput {
  event: CanonicalEvent;
  /** Geo and network of `event.sourceIp`; null when the call has no IP (service calls, `AWS Internal`). */
  geo: GeoInfo | null;
  time: TimeInfo;
  key: KeyInfo;
}

export type EvidenceValue = string | number | boolean | null;

/** One detector's verdict on one event: what broke which baseline. */
export interface Verdict {
  /** Risk contribution, 0..100. */
  score: number;
  /** What happened, as the end of a sentence: "called s3:DeleteBucket, a write call, …". */
  reason: string;
  /** The baseline it was compared with, in plain words. */
  baseline: string;
  /** Findings of one key and detector with the same group value join one alert. */
  groupValue: string;
  evidence: Record<string, EvidenceValue>;
  /**
   * False for weak signals that do not alert on their own (a new /24 inside an ASN the key already uses,
   * a weekend call from the key's own network and client): they raise the event's risk and are listed in
   * the evidence of the event's other findings.
   */
  standalone?: boolean;
}

/** A verdict with the id of the detector that reached it. */
export interface Finding extends Verdict {
  detector: DetectorId;
}

/** A finding placed in an alert group: either it opens a new alert, or it joins an open one. */
export interface GroupedFinding extends Finding {
  alertId: string;
  /** True when this finding opened the alert; false when it joined an alert already raised. */
  opened: boolean;
  /** How many findings the alert holds so far, this one included. */
  count: number;
}

export interface DetectResult {
  findings: GroupedFinding[];
  /** Findings an allowlist entry dropped, with the entry's id. */
  suppressed: Array<{ detector: DetectorId; suppressionId: string }>;
  /** Combined risk of the event, 0..100. */
  riskScore: number;
  profile: import('./profile.ts').Profile;
  /** The event was applied to this profile already (a re-delivery): nothing was learned or judged. */
  duplicate: boolean;
  /** The event is older than the key's latest applied call: learned, not judged (no findings). */
  late: boolean;
}
