import { z } from 'zod';
import { type DetectorContext, defineDetector } from '../detector.ts';
import { plural } from '../text.ts';
import type { DetectInput, Verdict } from '../types.ts';
import { DAY, known, located, networkEvidence, teachNetwork, unlearnPrefix } from './shared.ts';

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

/**
 * Where a cloud workload runs: the region of an AWS, Google Cloud or Azure address, placed by the provider's
 * published ranges (enrich's `geo.cloud`). Other hosting, VPN and relay networks have no such place.
 */
export function cloudLocation(input: DetectInput): { lat: number; lon: number; place: string } | null {
  const c = input.geo?.cloud;
  if (!c || input.event.sourceIp === null || c.region === null || c.latitude === null || c.longitude === null) return null;
  return { lat: c.latitude, lon: c.longitude, place: `${c.provider}:${c.region}` };
}

const OPTIONS = z.strictObject({
  /** Implied speed above which two calls cannot come from one traveller (a long-haul jet is ~900 km/h). */
  maxKmh: z.number().positive().default(1000),
  /** Geo databases are coarse: closer than this is never travel. */
  minKm: z.number().min(0).default(500),
});

const PROVIDER_NAMES: Record<string, string> = { aws: 'AWS', gcp: 'Google Cloud', azure: 'Azure' };

/** `AWS us-east-1` from `aws:us-east-1`. */
function placeName(place: string): string {
  const [provider = '', region = ''] = place.split(':');
  return `${PROVIDER_NAMES[provider] ?? provider} ${region}`;
}

export const impossibleTravel = defineDetector({
  id: 'impossible_travel',
  name: 'Impossible travel between calls',
  options: OPTIONS,
  state: ['located', 'cloudLocated', 'prefixes'],
  learn({ input, now }, next) {
    const here = physicalLocation(input);
    if (here !== null) next.located = { t: now, ...here };
    const cloud = cloudLocation(input);
    if (cloud !== null) next.cloudLocated = { t: now, ...cloud };
  },
  evaluate(ctx) {
    const here = physicalLocation(ctx.input);
    if (here === null) return null;
    // The key's own networks are where it lives, wherever geo places them.
    if (ctx.facts.prefix !== null && known(ctx.profile.prefixes, ctx.facts.networkHash, ctx)) return null;
    const prev = ctx.profile.located;
    if (prev === null) return twoParties(ctx, here);
    // A key with a recent physical location is used by people: their moves are judged as travel, and its
    // cloud workloads running meanwhile are its normal pattern, not a second party.
    if (ctx.now - prev.t > ctx.core.forgetAfterDays * DAY) return twoParties(ctx, here);
    const km = distanceKm(prev, here);
    if (km < ctx.options.minKm) return null;
    const hours = Math.max(ctx.now - prev.t, 60) / 3600;
    const kmh = km / hours;
    if (kmh <= ctx.options.maxKmh) return null;
    const minutes = Math.round((ctx.now - prev.t) / 60);
    return {
      score: 55,
      reason: `called ${ctx.input.event.action} from ${located(ctx.input)}, ${Math.round(km).toLocaleString('en-US')} km from its previous call in ${prev.country} ${plural(minutes, 'minute')} earlier (${Math.round(kmh).toLocaleString('en-US')} km/h)`,
      baseline: `no traveller moves faster than ${ctx.options.maxKmh} km/h; cloud, hosting and VPN networks are not counted as locations`,
      groupValue: `${prev.country}>${here.country}`,
      evidence: {
        ...networkEvidence(ctx.input),
        previous_country: prev.country,
        km: Math.round(km),
        kmh: Math.round(kmh),
        minutes,
      },
    };
  },
  // The alert's network becomes the key's own. The last physical point (the alerted call, learned when it
  // happened) stays: forgetting it would make a cloud-homed key judge its now-known person as a second party again.
  teach: (profile, facts, now) => teachNetwork(profile, facts, now),
  unlearn: unlearnPrefix,
});

/**
 * A cloud-homed key (used from placed cloud regions, no physical location within `forgetAfterDays`) called
 * from an ISP far from the region its workload used shortly before: the workload cannot be in both places,
 * so two parties hold the key. Judged with the same speed bound as travel, so "shortly" scales with distance
 * (9,000 km: within 9 hours at 1,000 km/h). Only once the key has learned its baseline.
 */
function twoParties(
  ctx: DetectorContext<z.infer<typeof OPTIONS>>,
  here: { lat: number; lon: number; country: string },
): Verdict | null {
  const cloud = ctx.profile.cloudLocated;
  if (!cloud || !ctx.learned) return null;
  const km = distanceKm(cloud, here);
  if (km < ctx.options.minKm) return null;
  const seconds = ctx.now - cloud.t;
  const kmh = km / (Math.max(seconds, 60) / 3600);
  if (kmh <= ctx.options.maxKmh) return null;
  const minutes = Math.round(seconds / 60);
  const region = placeName(cloud.place);
  return {
    score: 60,
    reason: `called ${ctx.input.event.action} from ${located(ctx.input)}, ${Math.round(km).toLocaleString('en-US')} km from ${region}, where its workload called ${plural(minutes, 'minute')} earlier: two parties are using the key`,
    baseline: `the key has only been used from cloud regions; its workload cannot also be ${Math.round(km).toLocaleString('en-US')} km away within ${plural(minutes, 'minute')}`,
    groupValue: `${cloud.place}>${here.country}`,
    evidence: {
      ...networkEvidence(ctx.input),
      previous_cloud_region: cloud.place,
      km: Math.round(km),
      kmh: Math.round(kmh),
      minutes,
    },
  };
}
