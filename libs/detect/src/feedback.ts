import type { AlertValues } from './detector.ts';
import { hash32 } from './hash.ts';
import type { DetectOptions } from './options.ts';
import type { Profile } from './profile.ts';
import { type DetectorId, detectorById } from './registry.ts';
import type { Suppression } from './suppress.ts';

/** What made an alert, as far as feedback needs it (read from the ECS alert document). */
export interface AlertFacts extends AlertValues {
  alertId: string;
  keyId: string;
  rule: DetectorId;
}

/**
 * "This was benign": teach the key's profile the values that made the alert, so the same pattern stops
 * alerting (each detector's `teach`). Declarations in the registry (read-only scope, business hours,
 * allowed countries) are not overridden by feedback: `benignSuppression` with a TTL covers those, or change
 * the registry. Detectors without a baseline to teach (dormant_key, key_age, secret_in_logs) return the profile as is.
 */
export function teachBenign(profile: Profile, facts: AlertFacts, now: number, options: DetectOptions): Profile {
  const d = detectorById(facts.rule);
  const own = (options.detectors as Record<string, unknown>)[d.id];
  return d.teach ? d.teach(profile, facts, now, own) : { ...profile };
}

/**
 * "This was malicious": the profile learned the attacker's values while scoring the attack; take them out
 * again, so the next call from the same place alerts too. The exact IP is always forgotten; each detector
 * takes out what it learned (`unlearn`).
 */
export function unlearnMalicious(profile: Profile, facts: AlertFacts): Profile {
  const ip = facts.ip;
  const next: Profile = ip ? { ...profile, ips: profile.ips.filter((v) => v.h !== hash32(ip)) } : { ...profile };
  const d = detectorById(facts.rule);
  return d.unlearn ? d.unlearn(next, facts) : next;
}

/** A suppression for a benign alert's pattern, valid for `ttlSeconds`: the same key, rule and value stop alerting. */
export function benignSuppression(facts: AlertFacts, now: number, ttlSeconds: number, reason: string): Suppression {
  return {
    id: `feedback:${facts.alertId}`,
    key: facts.keyId,
    rules: [facts.rule],
    cidrs: [],
    asns: [],
    countries: [],
    userAgents: [],
    actions: [],
    expires: now + ttlSeconds,
    reason,
    ...detectorById(facts.rule).suppress?.(facts),
  };
}
