import { type CloudProvider, providerRegions, regionPlace } from './cloud-regions.ts';
import type { CloudLocation } from './types.ts';

/**
 * Which cloud region an address is in. First the providers' published ranges (the CSV); then, for an
 * address only the ASN says is AWS, the region nearest to GeoLite2's city for it: AWS publishes a
 * geofeed (RFC 8805) with the region of every range, which MaxMind's data follows, so the city is the
 * region's metro. Google and Microsoft addresses are placed only by the ranges file: GeoLite2 puts
 * most of them at their registrant's address (a country centroid, Redmond), not in their region.
 */
const PROVIDER_ASNS = new Map<number, CloudProvider>([
  [16509, 'aws'],
  [14618, 'aws'],
  [8987, 'aws'],
  // Google Cloud's own AS; 15169 also carries Google's consumer services and public DNS.
  [396982, 'gcp'],
  [8075, 'azure'],
]);

/** A GeoLite2 city farther than this from every region of the provider is not taken as a region. */
const GEOFEED_SNAP_KM = 150;

/**
 * `hit` is the address's published range, if any; `cityLatitude`/`cityLongitude` GeoLite2's city-level
 * coordinates (null when it only knows the country). Positional arguments: this runs on every uncached lookup.
 */
export function cloudLocation(
  hit: { provider: CloudProvider; region: string } | null,
  asn: number | null,
  cityLatitude: number | null,
  cityLongitude: number | null,
): CloudLocation | null {
  if (hit !== null) return placed(hit.provider, hit.region);
  const provider = asn === null ? undefined : PROVIDER_ASNS.get(asn);
  if (provider === undefined) return null;
  if (provider === 'aws' && cityLatitude !== null && cityLongitude !== null) {
    const region = nearestRegion(provider, cityLatitude, cityLongitude);
    if (region !== null) return placed(provider, region);
  }
  return Object.freeze({ provider, region: null, latitude: null, longitude: null });
}

function placed(provider: CloudProvider, region: string): CloudLocation {
  const place = regionPlace(provider, region);
  return Object.freeze({ provider, region, latitude: place?.[0] ?? null, longitude: place?.[1] ?? null });
}

/** Geo databases give a few thousand distinct city points: the nearest region of each is remembered. */
const NEAREST = new Map<string, string | null>();

function nearestRegion(provider: CloudProvider, lat: number, lon: number): string | null {
  const key = `${provider}|${lat}|${lon}`;
  let region = NEAREST.get(key);
  if (region === undefined) {
    region = computeNearest(provider, lat, lon);
    if (NEAREST.size >= 10_000) NEAREST.clear();
    NEAREST.set(key, region);
  }
  return region;
}

function computeNearest(provider: CloudProvider, lat: number, lon: number): string | null {
  let best: string | null = null;
  let bestKm = GEOFEED_SNAP_KM + 1e-9;
  for (const [region, [rLat, rLon]] of providerRegions(provider)) {
    const km = haversineKm(lat, lon, rLat, rLon);
    // Strictly nearer: on a tie (a GovCloud region shares its metro) the first listed, commercial region wins.
    if (km < bestKm) {
      best = region;
      bestKm = km;
    }
  }
  return best;
}

function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
