import { createHash } from 'node:crypto';
import {
  DAY,
  type DetectorContext,
  dormantKey,
  type EventFacts,
  eventFacts,
  failureSpike,
  impossibleTravel,
  isAuthorizationFailure,
  keyAge,
  newAsn,
  newCountry,
  newIp,
  newUserAgent,
  offHours,
  physicalLocation,
  secretInLogs,
  volumeSpike,
  writeOnReadOnly,
} from './detectors.ts';
import { hash32 } from './hash.ts';
import type { DetectOptions } from './options.ts';
import { activityBucket, countryCode, emptyProfile, PROFILE_LIMITS, type Profile, rememberValue } from './profile.ts';
import { type Suppression, suppressionFor } from './suppress.ts';
import type { DetectInput, DetectResult, Finding, GroupedFinding } from './types.ts';

/** Activity histogram total above which all buckets are halved: old habits fade, recent ones count. */
const ACTIVITY_DECAY_AT = 4000;
/** Windows with fewer calls say little about a key's usual failure share. */
const MIN_WINDOW_EVENTS = 5;
const FAILURE_RATE_SMOOTHING = 0.2;
/** Hourly rates follow slowly, and one hour can lift them by at most 4x its current value: a one-off busy day barely moves them. */
const HOURLY_RATE_SMOOTHING = 0.1;
const HOURLY_RATE_MAX_STEP = 4;

/**
 * The detection core: one event, the key's profile before it, and options in; findings and the
 * updated profile out. Pure: no I/O, no clock (time is the event's own), the input profile is not changed.
 */
export function detect(
  input: DetectInput,
  previous: Profile | null,
  options: DetectOptions,
  suppressions: readonly Suppression[] = [],
): DetectResult {
  const now = Math.floor(Date.parse(input.event.time) / 1000);
  const profile = previous ?? emptyProfile(now);
  const learned = profile.events >= options.learning.minEvents && now - profile.firstSeen >= options.learning.minDays * DAY;
  const facts = eventFacts(input.event);
  const ctx: DetectorContext = { input, profile, now, learned, options, facts };

  const window = nextFailureWindow(profile, input, now, options);
  const hour = nextHour(profile, input, now);
  const raw = [
    ...networkFindings(ctx),
    impossibleTravel(ctx),
    volumeSpike(ctx, hour.hour),
    newUserAgent(ctx),
    writeOnReadOnly(ctx),
    offHours(ctx),
    failureSpike(ctx, window.window),
    secretInLogs(ctx),
    dormantKey(ctx),
    keyAge(ctx),
  ].filter((f): f is Finding => f !== null);
  const suppressed: DetectResult['suppressed'] = [];
  const kept = raw.filter((f) => {
    const s = suppressionFor(f, input, suppressions, now);
    if (s !== null) suppressed.push({ detector: f.detector, suppressionId: s.id });
    return s === null;
  });
  const findings = withContext(kept);

  // `learn` returns a fresh copy: filling in the hour and groups on it spares two more copies.
  const next = learn(profile, input, facts, now, window);
  next.hour = hour.hour;
  next.hourlyRate = hour.hourlyRate;
  const { grouped, groups } = group(findings, next.groups, input, now, options);
  next.groups = groups;
  return { findings: grouped, suppressed, riskScore: combineRisk(kept), profile: next };
}

/**
 * Weak findings (`standalone: false`) never alert alone; beside a real finding they are named in its
 * evidence. The event's risk counts them either way.
 */
function withContext(findings: Finding[]): Finding[] {
  const strong = findings.filter((f) => f.standalone !== false);
  const weak = findings.filter((f) => f.standalone === false);
  if (weak.length === 0 || strong.length === 0) return strong;
  const also = weak.map((f) => f.detector).join(',');
  return strong.map((f) => ({ ...f, evidence: { ...f.evidence, context: also } }));
}

/** A new country implies a new ASN and IP, a new ASN a new IP: report only the broadest, mention the rest. */
function networkFindings(ctx: DetectorContext): Finding[] {
  const ordered = [newCountry(ctx), newAsn(ctx), newIp(ctx)].filter((f): f is Finding => f !== null);
  const [top, ...rest] = ordered;
  if (top === undefined) return [];
  if (rest.length === 0) return [top];
  return [{ ...top, evidence: { ...top.evidence, also_new: rest.map((f) => f.detector.replace('new_', '')).join(',') } }];
}

/** Combines the findings of one event: independent evidence accumulates, and never exceeds 100. */
export function combineRisk(findings: readonly Finding[]): number {
  const clear = findings.reduce((p, f) => p * (1 - Math.min(100, Math.max(0, f.score)) / 100), 1);
  return Math.round((1 - clear) * 100);
}

function nextFailureWindow(profile: Profile, input: DetectInput, now: number, options: DetectOptions) {
  let { window, failureRate } = profile;
  if (now >= window.start + options.failureSpike.windowSeconds) {
    if (window.events >= MIN_WINDOW_EVENTS) {
      failureRate += FAILURE_RATE_SMOOTHING * (window.authFailures / window.events - failureRate);
    }
    window = { start: now, events: 0, authFailures: 0 };
  }
  const auth = isAuthorizationFailure(input.event.errorCode) ? 1 : 0;
  return { window: { ...window, events: window.events + 1, authFailures: window.authFailures + auth }, failureRate };
}

function nextHour(profile: Profile, input: DetectInput, now: number): Pick<Profile, 'hour' | 'hourlyRate'> {
  let { hour, hourlyRate } = profile;
  if (now >= hour.start + 3600) {
    if (hour.count > 0) {
      hourlyRate = hourlyRate.slice();
      const rate = hourlyRate[hour.bucket] ?? 0;
      hourlyRate[hour.bucket] =
        rate === 0 ? hour.count : rate + HOURLY_RATE_SMOOTHING * (Math.min(hour.count, rate * HOURLY_RATE_MAX_STEP) - rate);
    }
    hour = { start: now - (now % 3600), count: 0, bucket: activityBucket(input.time.localHour, input.time.localWeekday) };
  }
  return { hour: { ...hour, count: hour.count + 1 }, hourlyRate };
}

function learn(
  profile: Profile,
  input: DetectInput,
  facts: EventFacts,
  now: number,
  w: { window: Profile['window']; failureRate: number },
): Profile {
  const { event, geo, time } = input;
  const next: Profile = {
    ...profile,
    firstSeen: Math.min(profile.firstSeen, now),
    lastSeen: Math.max(profile.lastSeen, now),
    events: profile.events + 1,
    failures: profile.failures + (event.outcome === 'failure' ? 1 : 0),
    writes: profile.writes + (event.accessClass === 'write' ? 1 : 0),
    window: w.window,
    failureRate: w.failureRate,
  };
  if (event.sourceIp !== null && geo?.network !== 'private') {
    next.ips = rememberValue(profile.ips, hash32(event.sourceIp), now, PROFILE_LIMITS.ips);
    next.prefixes = rememberValue(profile.prefixes, facts.networkHash, now, PROFILE_LIMITS.prefixes);
    if (geo?.asn != null) next.asns = rememberValue(profile.asns, geo.asn, now, PROFILE_LIMITS.asns);
    if (geo?.country) next.countries = rememberValue(profile.countries, countryCode(geo.country), now, PROFILE_LIMITS.countries);
  }
  const here = physicalLocation(input);
  if (here !== null) next.located = { t: now, ...here };
  if (event.userAgent) {
    next.userAgents = rememberValue(profile.userAgents, facts.userAgentHash, now, PROFILE_LIMITS.userAgents);
  }
  const activity = profile.activity.slice();
  const bucket = activityBucket(time.localHour, time.localWeekday);
  activity[bucket] = (activity[bucket] ?? 0) + 1;
  if (activity.reduce((a, b) => a + b, 0) > ACTIVITY_DECAY_AT) {
    for (let i = 0; i < activity.length; i++) activity[i] = (activity[i] ?? 0) / 2;
  }
  next.activity = activity;
  return next;
}

/** Deterministic alert id: the same event replayed yields the same id, so re-delivery is idempotent. */
export function alertIdFor(credentialId: string, detector: string, groupValue: string, eventId: string): string {
  return createHash('sha256').update(`${credentialId}\n${detector}\n${groupValue}\n${eventId}`).digest('hex').slice(0, 32);
}

function group(findings: Finding[], open: Profile['groups'], input: DetectInput, now: number, options: DetectOptions) {
  let groups = open.filter((g) => g.until > now);
  const grouped: GroupedFinding[] = [];
  for (const f of findings) {
    const h = hash32(`${f.detector}\n${f.groupValue}`);
    const existing = groups.find((g) => g.h === h);
    if (existing) {
      const joined = { ...existing, count: existing.count + 1 };
      groups = groups.map((g) => (g === existing ? joined : g));
      grouped.push({ ...f, alertId: existing.alertId, opened: false, count: joined.count });
      continue;
    }
    const alertId = alertIdFor(input.event.credentialId, f.detector, f.groupValue, input.event.id);
    const window = options.groupWindowOverrides[f.detector] ?? options.groupWindowSeconds;
    groups = [...groups, { h, until: now + window, alertId, count: 1 }];
    if (groups.length > PROFILE_LIMITS.groups) groups = groups.slice(groups.length - PROFILE_LIMITS.groups);
    grouped.push({ ...f, alertId, opened: true, count: 1 });
  }
  return { grouped, groups };
}
