import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { plural } from '../text.ts';
import type { DetectInput } from '../types.ts';
import { known, located, networkEvidence, teachNetwork, unlearnPrefix } from './shared.ts';

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

export const impossibleTravel = defineDetector({
  id: 'impossible_travel',
  name: 'Impossible travel between calls',
  options: z.strictObject({
    /** Implied speed above which two calls cannot come from one traveller (a long-haul jet is ~900 km/h). */
    maxKmh: z.number().positive().default(1000),
    /** Geo databases are coarse: closer than this is never travel. */
    minKm: z.number().min(0).default(500),
  }),
  state: ['located', 'prefixes'],
  learn({ input, now }, next) {
    const here = physicalLocation(input);
    if (here !== null) next.located = { t: now, ...here };
  },
  evaluate(ctx) {
    const here = physicalLocation(ctx.input);
    const prev = ctx.profile.located;
    if (here === null || prev === null) return null;
    // The key's own networks are where it lives, wherever geo places them.
    if (ctx.facts.prefix !== null && known(ctx.profile.prefixes, ctx.facts.networkHash, ctx)) return null;
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
  teach: (profile, facts, now) => ({ ...teachNetwork(profile, facts, now), located: null }),
  unlearn: unlearnPrefix,
});
