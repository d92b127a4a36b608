import { createHash } from 'node:crypto';
import { isoMillis } from '@keywatch/event';
import type { DetectorContext } from './detector.ts';
import { DAY } from './detectors/shared.ts';
import { eventFacts } from './facts.ts';
import { hash32 } from './hash.ts';
import type { DetectOptions } from './options.ts';
import { emptyProfile, PROFILE_LIMITS, type Profile, RECENT_EVENTS, type RecentEvent } from './profile.ts';
import { DETECTORS } from './registry.ts';
import { type Suppression, suppressionFor } from './suppress.ts';
import type { DetectInput, DetectResult, Finding, GroupedFinding } from './types.ts';

/** The registry, typed for the generic loop below (each detector gets its own options). */
const ALL = DETECTORS as unknown as ReadonlyArray<import('./detector.ts').Detector>;

/**
 * The detection core: one event, the key's profile before it, and options in; findings and the
 * updated profile out. Pure: no I/O, no clock (time is the event's own), the input profile is not changed.
 * Every detector first learns the event into the state it owns, then judges it against the profile before.
 * An event the key's profile lists among its recent events (same id, same time) was applied already: it is
 * skipped (`duplicate`), the profile returned unchanged. An event older than the key's latest applied call
 * (`late`: it came after newer ones, beyond what the pipeline's reorder buffer could put back in order, or it
 * is a re-delivery older than the recent events) is learned but not judged: judging it against a profile that
 * already holds later calls would depend on arrival order, and a replay would raise alerts anew.
 */
export function detect(
  input: DetectInput,
  previous: Profile | null,
  options: DetectOptions,
  suppressions: readonly Suppression[] = [],
): DetectResult {
  const now = Math.floor(isoMillis(input.event.time) / 1000);
  const id = hash32(input.event.id);
  if (previous?.recent !== undefined && holdsRecent(previous.recent, id, now)) {
    return { findings: [], suppressed: [], riskScore: 0, profile: previous, duplicate: true, late: false };
  }
  const profile = previous ?? emptyProfile(now);
  const late = previous !== null && now < previous.lastSeen;
  const age = now - profile.firstSeen;
  const l = options.learning;
  const learned = profile.events > 0 && age >= l.minDays * DAY && (profile.events >= l.minEvents || age >= l.maxDays * DAY);
  const facts = eventFacts(input.event);
  const own = options.detectors as Record<string, unknown>;

  const next: Profile = {
    ...profile,
    firstSeen: Math.min(profile.firstSeen, now),
    lastSeen: Math.max(profile.lastSeen, now),
    events: profile.events + 1,
    failures: profile.failures + (input.event.outcome === 'failure' ? 1 : 0),
  };
  next.recent = rememberRecent(profile.recent ?? [], { h: id, t: now }, next.lastSeen);
  const ctx: DetectorContext<unknown> = { input, profile, next, now, learned, facts, options: undefined, core: options };
  for (const d of ALL) {
    if (d.learn === undefined) continue;
    ctx.options = own[d.id];
    d.learn(ctx, next);
  }

  if (late) return { findings: [], suppressed: [], riskScore: 0, profile: next, duplicate: false, late: true };

  const raw: Finding[] = [];
  for (const d of ALL) {
    ctx.options = own[d.id];
    const verdict = d.evaluate(ctx);
    if (verdict !== null) raw.push({ detector: d.id as Finding['detector'], ...verdict });
  }
  const suppressed: DetectResult['suppressed'] = [];
  const kept = folded(raw).filter((f) => {
    const s = suppressionFor(f, input, suppressions, now);
    if (s !== null) suppressed.push({ detector: f.detector, suppressionId: s.id });
    return s === null;
  });
  const findings = withContext(kept);

  const { grouped, groups } = group(findings, next.groups, input, now, options);
  next.groups = groups;
  return { findings: grouped, suppressed, riskScore: combineRisk(kept), profile: next, duplicate: false, late: false };
}

/**
 * The recent events with `e` added, oldest first: within `RECENT_EVENTS.seconds` of the key's latest call, the
 * newest `count` by time (a late event never pushes out a newer one).
 */
function rememberRecent(recent: readonly RecentEvent[], e: RecentEvent, lastSeen: number): RecentEvent[] {
  const from = lastSeen - RECENT_EVENTS.seconds;
  // Loops instead of filter and a closure: this runs for every event. The newest call (nearly always `e`) goes at the end.
  const kept: RecentEvent[] = [];
  for (let i = 0; i < recent.length; i++) if (recent[i]!.t >= from) kept.push(recent[i]!);
  if (e.t >= from) {
    let i = kept.length;
    while (i > 0 && kept[i - 1]!.t > e.t) i--;
    if (i === kept.length) kept.push(e);
    else kept.splice(i, 0, e);
  }
  return kept.length > RECENT_EVENTS.count ? kept.slice(kept.length - RECENT_EVENTS.count) : kept;
}

/** Whether the recent events hold this id hash at this time (a loop: it runs for every event). */
function holdsRecent(recent: readonly RecentEvent[], h: number, t: number): boolean {
  for (let i = 0; i < recent.length; i++) if (recent[i]!.h === h && recent[i]!.t === t) return true;
  return false;
}

const COVERS = new Map(ALL.map((d) => [d.id, d.covers ?? []]));

/**
 * Nested findings (a new country is a new ASN and a new IP): the broadest one is reported, the ones it
 * covers are listed in its `evidence.also_new` instead of opening alerts of their own.
 */
function folded(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    if (findings.some((o) => COVERS.get(o.detector)!.includes(f.detector))) continue;
    const covered = findings.filter((o) => COVERS.get(f.detector)!.includes(o.detector));
    if (covered.length === 0) {
      out.push(f);
      continue;
    }
    // Broadest first, as `covers` lists them.
    const order = COVERS.get(f.detector)!;
    covered.sort((a, b) => order.indexOf(a.detector) - order.indexOf(b.detector));
    const also = covered.map((o) => o.detector.replace(/^new_/, '')).join(',');
    out.push({ ...f, evidence: { ...f.evidence, also_new: also } });
  }
  return out;
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

/** Combines the findings of one event: independent evidence accumulates, and never exceeds 100. */
export function combineRisk(findings: readonly Finding[]): number {
  const clear = findings.reduce((p, f) => p * (1 - Math.min(100, Math.max(0, f.score)) / 100), 1);
  return Math.round((1 - clear) * 100);
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
