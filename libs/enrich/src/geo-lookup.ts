import { isIP } from 'node:net';
import type { AsnHit } from './asn-table.ts';
import { defaultAsnDataDir, geoipLite, ipv4AsnTable, ipv6AsnTable } from './geo-data.ts';
import { isHostingAsn } from './hosting-asns.ts';
import { ipv4ToNumber, ipv6ToBigInt, mappedIpv4 } from './ip-number.ts';
import { LruCache } from './lru-cache.ts';
import { isPrivateAddress } from './special-ranges.ts';
import type { GeoInfo, GeoLookup, NetworkKind } from './types.ts';

export interface GeoLookupOptions {
  /** Most recent lookups kept (default 50 000). 0 disables the cache. */
  cacheSize?: number;
  /** Directory holding `asn-ipv4-num.csv` / `asn-ipv6-num.csv` (default: the bundled @ip-location-db/asn). */
  asnDataDir?: string;
}

const DEFAULT_CACHE_SIZE = 50_000;

/** Results are frozen because the cache hands the same object to every caller. */
const NOWHERE = (network: NetworkKind): GeoInfo =>
  Object.freeze({
    country: null,
    region: null,
    city: null,
    latitude: null,
    longitude: null,
    asn: null,
    asOrg: null,
    network,
  });
const UNKNOWN = NOWHERE('unknown');
const PRIVATE = NOWHERE('private');

/**
 * Geo (geoip-lite / GeoLite2) and ASN (@ip-location-db/asn) of an IP address. Data loads on the first
 * lookup that needs it (IPv6 ASN data only on the first IPv6 lookup). Never throws on bad input:
 * anything that is not an IP address gives all nulls and network `unknown`.
 */
export function createGeoLookup(options: GeoLookupOptions = {}): GeoLookup {
  const cache = new LruCache<string, GeoInfo>(options.cacheSize ?? DEFAULT_CACHE_SIZE);
  const asnDataDir = options.asnDataDir ?? defaultAsnDataDir();
  return {
    lookup(ip: string): GeoInfo {
      const cached = cache.get(ip);
      if (cached !== undefined) return cached;
      const info = locate(ip, asnDataDir);
      cache.set(ip, info);
      return info;
    },
  };
}

function locate(ip: string, asnDataDir: string): GeoInfo {
  const version = isIP(ip);
  if (version === 0) return UNKNOWN;
  // An IPv4-mapped IPv6 address is the IPv4 address as far as geography goes.
  const mapped = version === 6 ? mappedIpv4(ip) : null;
  const address = mapped ?? ip;
  const isV4 = mapped !== null || version === 4;
  if (isPrivateAddress(address, isV4 ? 4 : 6)) return PRIVATE;

  const geo = geoipLite().lookup(address);
  const asn: AsnHit | null = isV4
    ? ipv4AsnTable(asnDataDir).lookup(ipv4ToNumber(address))
    : ipv6AsnTable(asnDataDir).lookup(ipv6ToBigInt(address));
  if (geo === null && asn === null) return UNKNOWN;
  const [latitude, longitude] = geo?.ll ?? [];
  return Object.freeze({
    country: emptyToNull(geo?.country),
    region: emptyToNull(geo?.region),
    city: emptyToNull(geo?.city),
    latitude: typeof latitude === 'number' ? latitude : null,
    longitude: typeof longitude === 'number' ? longitude : null,
    asn: asn?.asn ?? null,
    asOrg: emptyToNull(asn?.org),
    network: asn === null ? 'unknown' : isHostingAsn(asn.asn, asn.org) ? 'hosting' : 'isp',
  });
}

/** geoip-lite reports an unknown region or city as ''. */
function emptyToNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
