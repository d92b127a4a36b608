import type { FleetBehaviour } from './behaviour.ts';

/** The public shapes of the demo dataset and of its evaluation. */

export interface DemoOptions {
  seed: number;
  keys: number;
  days: number;
  /** First day, an ISO date (YYYY-MM-DD) that is a Monday; the window starts at 00:00 UTC. */
  start: string;
}

/** One injected incident: the calls a stolen or misused key made, and the rule ids that should fire on them. */
export interface Incident {
  id: string;
  kind: string;
  keyId: string;
  /** Expected detector (alert rule) ids. */
  detectors: string[];
  /** Source event ids (CloudTrail eventID / GitHub _document_id) of the incident's records. */
  eventIds: string[];
  start: string;
  end: string;
  description: string;
}

/** Unusual-looking but normal behaviour, injected to tempt the detectors. It must not alert. */
export interface BenignLabel {
  kind: string;
  keyId: string;
  eventIds: string[];
  description: string;
}

export interface DemoDataset {
  /** Raw provider records (CloudTrail records, GitHub audit events), sorted by time. */
  records: unknown[];
  incidents: Incident[];
  /** The key registry document (`{ keys: [...] }`) declaring about half of the keys. */
  registry: { keys: Array<Record<string, unknown>> };
  /** Keys × days: the exposure against which false alerts are counted. */
  keyDays: number;
  benignLabels: BenignLabel[];
  /** The intensities of the fleet's benign behaviours this seed drew. */
  behaviour: FleetBehaviour;
}

/** What the evaluation needs from an ECS alert: keywatch.key.id, rule.id, keywatch.evidence.event_ids. */
export interface AlertLike {
  keyId: string;
  ruleId: string;
  eventIds: string[];
}

export interface Score {
  /** True-positive alerts. */
  tp: number;
  /** False-positive alerts. */
  fp: number;
  /** (incident, expected detector) pairs no true-positive alert covered. */
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Evaluation {
  perDetector: Record<string, Score>;
  overall: Score;
  /** False-positive alerts per 1,000 key-days of exposure. */
  falseAlertsPer1000KeyDays: number;
  /** All alerts per 1,000 key-days: the load an operator would see. */
  alertsPer1000KeyDays: number;
  alerts: number;
  /** Per benign confounder kind in the dataset: how many alerts cite its events (0 is the target). */
  alertsOnConfounders: Record<string, number>;
  /** Alerts whose evidence touches an incident but whose rule was not expected for it: neither TP nor FP. */
  related: number;
  incidentsDetected: number;
  incidents: number;
  /** Per incident kind: incidents injected, and those at least one expected rule found. */
  incidentsByKind: Record<string, { incidents: number; detected: number }>;
  /** (incident, expected detector) pairs, and those a true-positive alert covered: recall = found / expected. */
  expectedPairs: number;
  foundPairs: number;
  falseAlerts: Array<AlertLike & { why: string }>;
  /** Incidents with the expected detectors that no alert covered. */
  missed: Array<{ incidentId: string; kind: string; keyId: string; detectors: string[] }>;
}
