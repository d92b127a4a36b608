import { ipPrefix } from '@keywatch/event';
import type { AlertValues, DetectorContext } from '../detector.ts';
import { hash32 } from '../hash.ts';
import { countryCode, findValue, PROFILE_LIMITS, type Profile, rememberValue, type SeenValue } from '../profile.ts';
import type { DetectInput, Verdict } from '../types.ts';

/** Helpers several detectors share: what "known" means, how a network is described, how feedback teaches one. */

export const DAY = 86400;

type Ctx = Pick<DetectorContext<unknown>, 'now' | 'core'>;

/** The value if the key used it within `forgetAfterDays`. */
export function known(set: readonly SeenValue[], h: number, ctx: Ctx): SeenValue | undefined {
  const v = findValue(set, h);
  return v !== undefined && ctx.now - v.last <= ctx.core.forgetAfterDays * DAY ? v : undefined;
}

/** True when the call came from a routable IP whose network can be compared with the key's history. */
export function hasPublicIp(input: DetectInput): boolean {
  return input.event.sourceIp !== null && input.geo?.network !== 'private';
}

/** `203.0.113.9 (DE, AS16509 AMAZON-02)`. */
/**
 * True when the call's country can be compared with the key's: from a public IP, or reported by the
 * provider when it hides the IP (GitHub `actor_location.country_code`).
 */
export function hasCountry(input: DetectInput): boolean {
  return hasPublicIp(input) || (input.event.sourceIp === null && input.event.sourceCountry != null && input.geo?.country != null);
}

export function located(input: DetectInput): string {
  const g = input.geo;
  const where = [g?.country, g?.asn != null ? `AS${g.asn}${g.asOrg ? ` ${g.asOrg}` : ''}` : null].filter(Boolean).join(', ');
  return `${input.event.sourceIp ?? 'an undisclosed IP'}${where ? ` (${where})` : ''}`;
}

export function networkEvidence(input: DetectInput): Verdict['evidence'] {
  const { event, geo } = input;
  return {
    ip: event.sourceIp,
    country: geo?.country ?? null,
    city: geo?.city ?? null,
    asn: geo?.asn ?? null,
    as_org: geo?.asOrg ?? null,
    action: event.action,
  };
}

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** `09:05 Mon Europe/Berlin`: built only for a finding, not for every event. */
export function localClock(time: DetectInput['time']): string {
  return `${String(time.localHour).padStart(2, '0')}:${String(time.localMinute).padStart(2, '0')} ${WEEKDAYS[time.localWeekday - 1]} ${time.timezone}`;
}

/** A benign value is remembered as if the key had used it this many times, so eviction does not forget it soon. */
const TAUGHT_USES = 20;

export function teachValue(set: SeenValue[], h: number, now: number, limit: number): SeenValue[] {
  let out = set;
  for (let i = 0; i < TAUGHT_USES; i++) out = rememberValue(out, h, now, limit);
  return out;
}

/** Feedback for the network rules: the alert's IP, /24, ASN and country become the key's own. */
export function teachNetwork(profile: Profile, facts: AlertValues, now: number): Profile {
  const next = { ...profile };
  if (facts.ip) {
    next.ips = teachValue(next.ips, hash32(facts.ip), now, PROFILE_LIMITS.ips);
    next.prefixes = teachValue(next.prefixes, hash32(ipPrefix(facts.ip) ?? facts.ip), now, PROFILE_LIMITS.prefixes);
  }
  if (facts.asn !== null) next.asns = teachValue(next.asns, facts.asn, now, PROFILE_LIMITS.asns);
  if (facts.country) next.countries = teachValue(next.countries, countryCode(facts.country), now, PROFILE_LIMITS.countries);
  return next;
}

export function dropValue(set: SeenValue[], h: number): SeenValue[] {
  return set.filter((v) => v.h !== h);
}

/** Takes the alert's /24 (/48) out of the key's networks; always a fresh copy. */
export function unlearnPrefix(profile: Profile, facts: AlertValues): Profile {
  if (!facts.ip) return { ...profile };
  return { ...profile, prefixes: dropValue(profile.prefixes, hash32(ipPrefix(facts.ip) ?? facts.ip)) };
}
