import { ipPrefix } from '@keywatch/event';
import { ipInCidrs } from '@keywatch/registry';
import { isAuthorizationFailure } from './failures.ts';
import { hash32 } from './hash.ts';
import type { DetectOptions } from './options.ts';
import { activityBucket, countryCode, findValue, type Profile, type SeenValue } from './profile.ts';
import { historyPhrase, pct, plural } from './text.ts';
import type { DetectInput, Finding } from './types.ts';

/** What every detector gets: the event, the key's profile *before* this event, and the options. */
export interface DetectorContext {
  input: DetectInput;
  profile: Profile;
  /** Event time, epoch seconds. */
  now: number;
  learned: boolean;
  options: DetectOptions;
  facts: EventFacts;
}

/** Values of the event that several detectors and the learning step use: derived once per event. */
export interface EventFacts {
  /** `ipPrefix` of the source IP; null without an IP or when it has no prefix. */
  prefix: string | null;
  /** The prefix, or the IP itself when it has none: what the profile's `prefixes` remember. Null without an IP. */
  network: string | null;
  /** `hash32(network)`; 0 without an IP. */
  networkHash: number;
  /** `userAgentFamily` of the user agent; null without one. */
  userAgentFamily: string | null;
  /** `hash32(userAgentFamily)`; 0 without a user agent. */
  userAgentHash: number;
}

/** Keys call from a few addresses over and over: their prefixes are remembered (the map starts over when full). */
const PREFIXES = new Map<string, string | null>();
const PREFIX_CACHE_LIMIT = 10_000;

function prefixOf(ip: string): string | null {
  let prefix = PREFIXES.get(ip);
  if (prefix === undefined) {
    prefix = ipPrefix(ip);
    if (PREFIXES.size >= PREFIX_CACHE_LIMIT) PREFIXES.clear();
    PREFIXES.set(ip, prefix);
  }
  return prefix;
}

export function eventFacts(event: DetectInput['event']): EventFacts {
  const prefix = event.sourceIp === null ? null : prefixOf(event.sourceIp);
  const network = prefix ?? event.sourceIp;
  const family = event.userAgent === null ? null : userAgentFamily(event.userAgent);
  return {
    prefix,
    network,
    networkHash: network === null ? 0 : hash32(network),
    userAgentFamily: family,
    userAgentHash: family === null ? 0 : hash32(family),
  };
}

const DAY = 86400;

function known(set: readonly SeenValue[], h: number, ctx: DetectorContext): SeenValue | undefined {
  const v = findValue(set, h);
  return v !== undefined && ctx.now - v.last <= ctx.options.forgetAfterDays * DAY ? v : undefined;
}

function located(ctx: DetectorContext): string {
  const { event } = ctx.input;
  const g = ctx.input.geo;
  const where = [g?.country, g?.asn != null ? `AS${g.asn}${g.asOrg ? ` ${g.asOrg}` : ''}` : null].filter(Boolean).join(', ');
  return `${event.sourceIp}${where ? ` (${where})` : ''}`;
}

function networkEvidence(ctx: DetectorContext): Finding['evidence'] {
  const { event, geo } = ctx.input;
  return {
    ip: event.sourceIp,
    country: geo?.country ?? null,
    city: geo?.city ?? null,
    asn: geo?.asn ?? null,
    as_org: geo?.asOrg ?? null,
    action: event.action,
  };
}

/** True when the call came from a routable IP whose network can be compared with the key's history. */
function hasPublicIp(ctx: DetectorContext): boolean {
  return ctx.input.event.sourceIp !== null && ctx.input.geo?.network !== 'private';
}

export function newCountry(ctx: DetectorContext): Finding | null {
  const country = ctx.input.geo?.country;
  if (!hasPublicIp(ctx) || !country) return null;
  const { key } = ctx.input;
  const declared = key.allowedCountries;
  if (declared.length > 0) {
    if (declared.includes(country)) return null;
    return {
      detector: 'new_country',
      score: 80,
      reason: `called ${ctx.input.event.action} from ${located(ctx)}, a country outside its declared countries`,
      baseline: `declared countries: ${declared.join(', ')}`,
      groupValue: country,
      evidence: networkEvidence(ctx),
    };
  }
  if (!ctx.learned || known(ctx.profile.countries, countryCode(country), ctx)) return null;
  const seen = ctx.profile.countries.map((c) => String.fromCharCode(c.h >> 8, c.h & 0xff)).join(', ');
  return {
    detector: 'new_country',
    score: 70,
    reason: `called ${ctx.input.event.action} from ${located(ctx)}, a country it has never used`,
    baseline: `countries seen: ${seen || 'none'} in ${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)}`,
    groupValue: country,
    evidence: networkEvidence(ctx),
  };
}

export function newAsn(ctx: DetectorContext): Finding | null {
  const asn = ctx.input.geo?.asn;
  if (!hasPublicIp(ctx) || asn == null || !ctx.learned) return null;
  if (ipInCidrs(ctx.input.event.sourceIp!, ctx.input.key.allowedCidrs)) return null;
  if (known(ctx.profile.asns, asn, ctx)) return null;
  return {
    detector: 'new_asn',
    score: 45,
    reason: `called ${ctx.input.event.action} from ${located(ctx)}, a network operator it has never used`,
    baseline: `${plural(ctx.profile.asns.length, 'ASN')} seen (${ctx.profile.asns.map((a) => `AS${a.h}`).join(', ') || 'none'}) in ${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)}`,
    groupValue: `AS${asn}`,
    evidence: networkEvidence(ctx),
  };
}

export function newIp(ctx: DetectorContext): Finding | null {
  if (!hasPublicIp(ctx)) return null;
  const ip = ctx.input.event.sourceIp!;
  const { key } = ctx.input;
  if (key.allowedCidrs.length > 0) {
    if (ipInCidrs(ip, key.allowedCidrs)) return null;
    return {
      detector: 'new_ip',
      score: 60,
      reason: `called ${ctx.input.event.action} from ${located(ctx)}, outside its declared networks`,
      baseline: `declared networks: ${key.allowedCidrs.join(', ')}`,
      groupValue: ctx.facts.network ?? ip,
      evidence: networkEvidence(ctx),
    };
  }
  if (!ctx.learned) return null;
  const prefix = ctx.facts.network ?? ip;
  if (known(ctx.profile.prefixes, ctx.facts.networkHash, ctx)) return null;
  const asn = ctx.input.geo?.asn;
  const asnKnown = asn != null && known(ctx.profile.asns, asn, ctx) !== undefined;
  // Keys that already hop between many prefixes of their provider (cloud egress) get no news from one more.
  if (asnKnown && ctx.profile.prefixes.length > ctx.options.newIp.maxKnownPrefixesForSameAsn) return null;
  return {
    detector: 'new_ip',
    score: asnKnown ? 20 : 30,
    // Inside a known operator a new /24 is what redeploys and DHCP leases look like: context, not an alert.
    standalone: !asnKnown,
    reason: `called ${ctx.input.event.action} from ${located(ctx)}, a network (${prefix}) it has never used`,
    baseline: `${plural(ctx.profile.prefixes.length, 'network')} seen in ${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)}`,
    groupValue: prefix,
    evidence: { ...networkEvidence(ctx), prefix },
  };
}

/** The product name of a user agent (`aws-sdk-java`, `Boto3`, `python-requests`): an SDK upgrade is not news. */
export function userAgentFamily(ua: string): string {
  const trimmed = ua.trim();
  const end = trimmed.search(/[\s/]/);
  return (end < 0 ? trimmed : trimmed.slice(0, end)).toLowerCase().slice(0, 64);
}

export function newUserAgent(ctx: DetectorContext): Finding | null {
  const ua = ctx.input.event.userAgent;
  if (!ua || !ctx.learned || ctx.profile.userAgents.length === 0) return null;
  const family = ctx.facts.userAgentFamily;
  if (!family || known(ctx.profile.userAgents, ctx.facts.userAgentHash, ctx)) return null;
  return {
    detector: 'new_user_agent',
    score: 20,
    reason: `called ${ctx.input.event.action} with user agent "${ua.slice(0, 120)}", a client it has never used`,
    baseline: `${plural(ctx.profile.userAgents.length, 'client family', 'client families')} seen in ${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)}`,
    groupValue: family,
    evidence: { user_agent: ua, family, ip: ctx.input.event.sourceIp, action: ctx.input.event.action },
  };
}

export function writeOnReadOnly(ctx: DetectorContext): Finding | null {
  const { event, key } = ctx.input;
  if (event.accessClass !== 'write') return null;
  const outcome = event.outcome === 'failure' ? ` (it failed: ${event.errorCode ?? 'error'})` : ' (it succeeded)';
  if (key.scope === 'read-only') {
    return {
      detector: 'write_on_read_only',
      score: event.outcome === 'success' ? 85 : 70,
      reason: `called ${event.action}, a write call, although the key is declared read-only${outcome}`,
      baseline: 'declared scope read-only in the key registry',
      groupValue: '',
      evidence: { action: event.action, outcome: event.outcome, error_code: event.errorCode, ip: event.sourceIp },
    };
  }
  if (key.scope === 'read-write' || !ctx.learned || ctx.profile.writes > 0) return null;
  return {
    detector: 'write_on_read_only',
    score: event.outcome === 'success' ? 60 : 50,
    reason: `called ${event.action}, a write call, from a key that has only ever read${outcome}`,
    baseline: `no write in ${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)} (scope not declared)`,
    groupValue: '',
    evidence: { action: event.action, outcome: event.outcome, error_code: event.errorCode, ip: event.sourceIp },
  };
}

export function offHours(ctx: DetectorContext): Finding | null {
  const { time, key, event } = ctx.input;
  if (key.businessHours !== null) {
    if (time.withinBusinessHours !== false) return null;
    const local = localClock(time);
    const bh = key.businessHours;
    return {
      detector: 'off_hours',
      score: 40,
      reason: `called ${event.action} at ${local}, outside its declared business hours`,
      baseline: `declared business hours ${bh.start}-${bh.end} on ${bh.days.map((d) => WEEKDAYS[d - 1]).join(', ')} (${time.timezone})`,
      groupValue: '',
      evidence: { local_time: local, action: event.action, ip: event.sourceIp },
    };
  }
  if (!ctx.learned) return null;
  const act = ctx.profile.activity;
  const total = act.reduce((a, b) => a + b, 0);
  const o = ctx.options.offHours;
  if (total < o.minActivity || ctx.now - ctx.profile.firstSeen < o.minHistoryDays * DAY) return null;
  const b = activityBucket(time.localHour, time.localWeekday);
  // A key that has not lived through two weekends yet: judge its weekend calls by its weekday hours.
  const sawWeekends = ctx.now - ctx.profile.firstSeen >= 14 * DAY;
  const base = b < 24 || !sawWeekends ? 0 : 24;
  const h = b % 24;
  const near = (act[base + ((h + 23) % 24)] ?? 0) + (act[base + h] ?? 0) + (act[base + ((h + 1) % 24)] ?? 0);
  const share = near / total;
  if (share >= o.minShare || near >= o.maxUsualCalls) return null;
  const weekend = base === 24;
  const local = localClock(time);
  return {
    detector: 'off_hours',
    score: 40,
    standalone: !(weekend && usualWeekdayHour(ctx, h) && familiarSource(ctx)),
    reason: `called ${event.action} at ${local}, a time of ${weekend ? 'the weekend' : 'day'} when it is normally idle`,
    baseline: `${pct(share)} of its activity falls within an hour of ${String(h).padStart(2, '0')}:00 on ${weekend ? 'weekends' : 'weekdays'} (${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)})`,
    groupValue: '',
    evidence: { local_time: local, action: event.action, ip: event.sourceIp, usual_share: Number(share.toFixed(4)) },
  };
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** `09:05 Mon Europe/Berlin`: built only for a finding, not for every event. */
function localClock(time: DetectInput['time']): string {
  return `${String(time.localHour).padStart(2, '0')}:${String(time.localMinute).padStart(2, '0')} ${WEEKDAYS[time.localWeekday - 1]} ${time.timezone}`;
}

/** True when the key works at this hour on weekdays: a weekend call then differs only by the day. */
function usualWeekdayHour(ctx: DetectorContext, hour: number): boolean {
  const act = ctx.profile.activity;
  const weekdays = act.slice(0, 24).reduce((a, b) => a + b, 0);
  const near = (act[(hour + 23) % 24] ?? 0) + (act[hour] ?? 0) + (act[(hour + 1) % 24] ?? 0);
  return weekdays > 0 && near / weekdays >= ctx.options.offHours.minShare && near >= ctx.options.offHours.maxUsualCalls;
}

/** The call comes from a network and client the key already uses (the on-call engineer re-running a job). */
function familiarSource(ctx: DetectorContext): boolean {
  const { prefix, networkHash, userAgentFamily, userAgentHash } = ctx.facts;
  // With a prefix, the network hash is the prefix's.
  const networkKnown = prefix !== null && known(ctx.profile.prefixes, networkHash, ctx) !== undefined;
  const clientKnown = userAgentFamily !== null && known(ctx.profile.userAgents, userAgentHash, ctx) !== undefined;
  return networkKnown && clientKnown;
}

/**
 * Needs the failure window *after* this event has been counted, so it takes the updated window.
 * Throttling and ordinary errors are not counted: a stolen key probing permissions produces
 * AccessDenied/Unauthorized, a busy bot produces ThrottlingException.
 */
export function failureSpike(ctx: DetectorContext, window: Profile['window']): Finding | null {
  const { event } = ctx.input;
  if (!isAuthorizationFailure(event.errorCode)) return null;
  const o = ctx.options.failureSpike;
  if (window.authFailures < o.minFailures) return null;
  const share = window.authFailures / window.events;
  if (share < o.minShare || share < ctx.profile.failureRate * o.factor) return null;
  const minutes = Math.round(o.windowSeconds / 60);
  return {
    detector: 'failure_spike',
    score: 60,
    reason: `had ${window.authFailures} of ${plural(window.events, 'call')} denied within ${minutes} minutes (latest: ${event.action} → ${event.errorCode})`,
    baseline: `its usual authorization-failure share is ${pct(ctx.profile.failureRate)} (${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)})`,
    groupValue: '',
    evidence: {
      failures: window.authFailures,
      calls: window.events,
      action: event.action,
      error_code: event.errorCode,
      ip: event.sourceIp,
    },
  };
}

export function secretInLogs(ctx: DetectorContext): Finding | null {
  const { secrets, action } = ctx.input.event;
  if (secrets.length === 0) return null;
  const kinds = [...new Set(secrets.map((s) => s.kind))];
  return {
    detector: 'secret_in_logs',
    score: 75,
    reason: `has a call (${action}) whose audit record contained ${plural(secrets.length, 'secret')} (${kinds.join(', ')} at ${secrets.map((s) => s.path).join(', ')}); keywatch redacted them, rotate them at the source`,
    baseline: 'audit records must never contain secrets',
    groupValue: secrets
      .map((s) => s.fingerprint)
      .sort()
      .join(','),
    evidence: {
      kinds: kinds.join(','),
      paths: secrets.map((s) => s.path).join(','),
      fingerprints: secrets.map((s) => s.fingerprint).join(','),
    },
  };
}

export function dormantKey(ctx: DetectorContext): Finding | null {
  if (ctx.profile.events === 0) return null;
  const idleDays = Math.floor((ctx.now - ctx.profile.lastSeen) / DAY);
  if (idleDays < ctx.options.dormantDays) return null;
  return {
    detector: 'dormant_key',
    score: 50,
    reason: `became active (${ctx.input.event.action} from ${ctx.input.event.sourceIp ?? ctx.input.event.sourceAddress ?? 'unknown address'}) after ${plural(idleDays, 'day')} of silence`,
    baseline: `last call before this one: ${new Date(ctx.profile.lastSeen * 1000).toISOString()}; dormant after ${ctx.options.dormantDays} days`,
    groupValue: String(ctx.profile.lastSeen),
    evidence: { idle_days: idleDays, action: ctx.input.event.action, ip: ctx.input.event.sourceIp },
  };
}

export function keyAge(ctx: DetectorContext): Finding | null {
  const { key } = ctx.input;
  if (key.created === null || key.rotationDays === null) return null;
  const created = Date.parse(key.created) / 1000;
  const ageDays = Math.floor((ctx.now - created) / DAY);
  if (Number.isNaN(ageDays) || ageDays <= key.rotationDays) return null;
  // One reminder per key per 30 days past its rotation date is enough.
  const period = Math.floor((ageDays - key.rotationDays) / 30);
  return {
    detector: 'key_age',
    score: 25,
    reason: `is still in use (${ctx.input.event.action}) ${plural(ageDays, 'day')} after it was created`,
    baseline: `rotation policy: every ${plural(key.rotationDays, 'day')} (created ${key.created})`,
    groupValue: String(period),
    evidence: { age_days: ageDays, rotation_days: key.rotationDays, created: key.created },
  };
}

export { DAY, isAuthorizationFailure };

const EARTH_KM = 6371;

export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Where a call physically comes from, if that can be known: a city-level location on a network that is
 * not a cloud, hosting, VPN or relay operator (those have no physical location: a bot in us-east-1 and
 * its operator's VPN exit in Frankfurt are not travelling). Country-only geo is a centroid, not a place.
 */
export function physicalLocation(input: DetectInput): { lat: number; lon: number; country: string } | null {
  const g = input.geo;
  if (!g || input.event.sourceIp === null || g.network !== 'isp') return null;
  if (g.city === null || g.latitude === null || g.longitude === null || g.country === null) return null;
  return { lat: g.latitude, lon: g.longitude, country: g.country };
}

export function impossibleTravel(ctx: DetectorContext): Finding | null {
  const here = physicalLocation(ctx.input);
  const prev = ctx.profile.located;
  if (here === null || prev === null) return null;
  // The key's own networks are where it lives, wherever geo places them.
  if (ctx.facts.prefix !== null && known(ctx.profile.prefixes, ctx.facts.networkHash, ctx)) return null;
  const km = distanceKm(prev, here);
  if (km < ctx.options.impossibleTravel.minKm) return null;
  const hours = Math.max(ctx.now - prev.t, 60) / 3600;
  const kmh = km / hours;
  if (kmh <= ctx.options.impossibleTravel.maxKmh) return null;
  const minutes = Math.round((ctx.now - prev.t) / 60);
  return {
    detector: 'impossible_travel',
    score: 55,
    reason: `called ${ctx.input.event.action} from ${located(ctx)}, ${Math.round(km).toLocaleString('en-US')} km from its previous call in ${prev.country} ${plural(minutes, 'minute')} earlier (${Math.round(kmh).toLocaleString('en-US')} km/h)`,
    baseline: `no traveller moves faster than ${ctx.options.impossibleTravel.maxKmh} km/h; cloud, hosting and VPN networks are not counted as locations`,
    groupValue: `${prev.country}>${here.country}`,
    evidence: { ...networkEvidence(ctx), previous_country: prev.country, km: Math.round(km), kmh: Math.round(kmh), minutes },
  };
}

/** Needs the hour count *after* this call has been counted. */
export function volumeSpike(ctx: DetectorContext, hour: Profile['hour']): Finding | null {
  if (!ctx.learned) return null;
  const o = ctx.options.volumeSpike;
  if (hour.count < o.minCalls) return null;
  const usual = ctx.profile.hourlyRate[hour.bucket] ?? 0;
  const overall = ctx.profile.hourlyRate.reduce((a, b) => Math.max(a, b), 0);
  // Compare with the busier of this hour's usual rate and a quarter of the key's busiest hour, so a key
  // that is merely early today is not a spike; an hour of the week it has never worked in is compared
  // with its busiest hour (a first busy weekend is not exfiltration).
  const reference = Math.max(usual, usual === 0 ? overall : overall / 4, 1);
  const threshold = Math.max(o.minCalls, reference * o.factor);
  // Once per clock hour: when the count crosses the threshold, not on every call after it.
  if (hour.count < threshold || hour.count - 1 >= threshold) return null;
  return {
    detector: 'volume_spike',
    score: 50,
    reason: `made ${plural(hour.count, 'call')} within one hour (latest: ${ctx.input.event.action})`,
    baseline: `its usual rate at this hour of the week is about ${Math.round(usual)} calls (busiest hour about ${Math.round(overall)})`,
    groupValue: '',
    evidence: {
      calls: hour.count,
      usual_per_hour: Math.round(usual),
      action: ctx.input.event.action,
      ip: ctx.input.event.sourceIp,
    },
  };
}
