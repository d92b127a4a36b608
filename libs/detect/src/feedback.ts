import type { TimeInfo } from '@keywatch/enrich';
import { ipPrefix } from '@keywatch/event';
import { userAgentFamily } from './detectors.ts';
import { hash32 } from './hash.ts';
import type { DetectorId } from './ids.ts';
import type { DetectOptions } from './options.ts';
import { activityBucket, countryCode, PROFILE_LIMITS, type Profile, rememberValue, type SeenValue } from './profile.ts';
import type { Suppression } from './suppress.ts';

/** What made an alert, as far as feedback needs it (read from the ECS alert document). */
export interface AlertFacts {
  alertId: string;
  keyId: string;
  rule: DetectorId;
  ip: string | null;
  country: string | null;
  asn: number | null;
  userAgent: string | null;
  action: string | null;
  /** Key-local time of the alerted call (for off_hours). */
  time: TimeInfo | null;
  /** evidence.calls (volume_spike) or evidence.failures/calls (failure_spike), when present. */
  calls: number | null;
  failures: number | null;
}

/** A benign value is remembered as if the key had used it this many times, so eviction does not forget it soon. */
const TAUGHT_USES = 20;

/**
 * "This was benign": teach the key's profile the values that made the alert, so the same pattern stops
 * alerting. Declarations in the registry (read-only scope, business hours, allowed countries) are not
 * overridden by feedback: `benignSuppression` with a TTL covers those, or change the registry.
 */
export function teachBenign(profile: Profile, facts: AlertFacts, now: number, options: DetectOptions): Profile {
  const next: Profile = { ...profile };
  const remember = (set: SeenValue[], h: number, limit: number) => {
    let out = set;
    for (let i = 0; i < TAUGHT_USES; i++) out = rememberValue(out, h, now, limit);
    return out;
  };
  switch (facts.rule) {
    case 'new_ip':
    case 'new_asn':
    case 'new_country':
    case 'impossible_travel':
      if (facts.ip) {
        next.ips = remember(next.ips, hash32(facts.ip), PROFILE_LIMITS.ips);
        next.prefixes = remember(next.prefixes, hash32(ipPrefix(facts.ip) ?? facts.ip), PROFILE_LIMITS.prefixes);
      }
      if (facts.asn !== null) next.asns = remember(next.asns, facts.asn, PROFILE_LIMITS.asns);
      if (facts.country) next.countries = remember(next.countries, countryCode(facts.country), PROFILE_LIMITS.countries);
      if (facts.rule === 'impossible_travel') next.located = null;
      break;
    case 'new_user_agent':
      if (facts.userAgent)
        next.userAgents = remember(next.userAgents, hash32(userAgentFamily(facts.userAgent)), PROFILE_LIMITS.userAgents);
      break;
    case 'write_on_read_only':
      next.writes = Math.max(1, next.writes);
      break;
    case 'off_hours':
      if (facts.time) {
        const activity = next.activity.slice();
        const total = activity.reduce((a, b) => a + b, 0);
        const b = activityBucket(facts.time.localHour, facts.time.localWeekday);
        activity[b] = Math.max(activity[b] ?? 0, total * options.offHours.minShare * 2, 1);
        next.activity = activity;
      }
      break;
    case 'volume_spike':
      if (facts.calls !== null) {
        const rates = next.hourlyRate.slice();
        const b = facts.time ? activityBucket(facts.time.localHour, facts.time.localWeekday) : next.hour.bucket;
        rates[b] = Math.max(rates[b] ?? 0, facts.calls / options.volumeSpike.factor + 1);
        next.hourlyRate = rates;
      }
      break;
    case 'failure_spike':
      if (facts.failures !== null && facts.calls) {
        next.failureRate = Math.max(next.failureRate, facts.failures / facts.calls / options.failureSpike.factor + 0.01);
      }
      break;
    default:
      // dormant_key, key_age, secret_in_logs: nothing in the baseline to teach; use a suppression.
      break;
  }
  return next;
}

/**
 * "This was malicious": the profile learned the attacker's values while scoring the attack; take them out
 * again, so the next call from the same place alerts too.
 */
export function unlearnMalicious(profile: Profile, facts: AlertFacts): Profile {
  const drop = (set: SeenValue[], h: number) => set.filter((v) => v.h !== h);
  const next: Profile = { ...profile };
  if (facts.ip) {
    next.ips = drop(next.ips, hash32(facts.ip));
    if (['new_ip', 'new_asn', 'new_country', 'impossible_travel'].includes(facts.rule)) {
      next.prefixes = drop(next.prefixes, hash32(ipPrefix(facts.ip) ?? facts.ip));
    }
  }
  if (facts.asn !== null && ['new_asn', 'new_country'].includes(facts.rule)) next.asns = drop(next.asns, facts.asn);
  if (facts.country && facts.rule === 'new_country') next.countries = drop(next.countries, countryCode(facts.country));
  if (facts.userAgent && facts.rule === 'new_user_agent')
    next.userAgents = drop(next.userAgents, hash32(userAgentFamily(facts.userAgent)));
  return next;
}

/** A suppression for a benign alert's pattern, valid for `ttlSeconds`: the same key, rule and value stop alerting. */
export function benignSuppression(facts: AlertFacts, now: number, ttlSeconds: number, reason: string): Suppression {
  const s: Suppression = {
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
  };
  if (facts.rule === 'new_ip' && facts.ip) s.cidrs = [ipPrefix(facts.ip) ?? facts.ip];
  if (facts.rule === 'new_asn' && facts.asn !== null) s.asns = [facts.asn];
  if (facts.rule === 'new_country' && facts.country) s.countries = [facts.country];
  if (facts.rule === 'new_user_agent' && facts.userAgent) s.userAgents = [userAgentFamily(facts.userAgent)];
  if (facts.rule === 'write_on_read_only' && facts.action) s.actions = [facts.action];
  return s;
}
