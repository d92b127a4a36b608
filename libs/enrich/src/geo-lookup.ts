import { isIP } from 'node:net';
import type { AsnResponse, CityResponse } from 'maxmind';
import type { AsnHit } from './asn-table.ts';
import { cloudLocation } from './cloud-locate.ts';
import type { CloudRanges } from './cloud-ranges.ts';
import {
  cloudRangesTable,
  defaultAsnDataDir,
  defaultCloudRangesFile,
  geoipLite,
  ipv4AsnTable,
  ipv6AsnTable,
} from './geo-data.ts';
import { isHostingAsn } from './hosting-asns.ts';
import { ipv4ToNumber, ipv6ToBigInt, mappedIpv4 } from './ip-number.ts';
import { LruCache } from './lru-cache.ts';
import { MmdbFile } from './mmdb.ts';
import { isPrivateAddress } from './special-ranges.ts';
import type { GeoInfo, GeoLookup, NetworkKind } from './types.ts';

export interface GeoLookupOptions {
  /** Most recent lookups kept (default 50 000). 0 disables the cache. */
  cacheSize?: number;
  /** Directory holding `asn-ipv4-num.csv` / `asn-ipv6-num.csv` (default: the bundled @ip-location-db/asn). */
  asnDataDir?: string;
  /**
   * A MaxMind or DB-IP City (or Country) `.mmdb` file: country, region, city and coordinates come from it
   * instead of the bundled geoip-lite data.
   */
  geoDb?: string;
  /** A MaxMind or DB-IP ASN `.mmdb` file: ASN and organisation come from it instead of the bundled tables. */
  asnDb?: string;
  /** Cloud region ranges (CSV from `scripts/update-cloud-ranges.ts`); default the bundled file, false for none. */
  cloudRanges?: string | false;
  /** How often `.mmdb` files are checked for a new version, in ms (default 60 000; 0 never). */
  reloadIntervalMs?: number;
  /** Told after a `.mmdb` file was re-opened (error null) or could not be (the old data stays). */
  onReload?: (file: string, error: Error | null) => void;
}

export interface GeoLookupHandle extends GeoLookup {
  close(): void;
}

const DEFAULT_CACHE_SIZE = 50_000;
const DEFAULT_RELOAD_MS = 60_000;

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
    cloud: null,
  });
const UNKNOWN = NOWHERE('unknown');
const PRIVATE = NOWHERE('private');

interface Place {
  country: string | null;
  region: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
}

/**
 * Geo (geoip-lite / GeoLite2, or an operator's .mmdb), ASN (@ip-location-db/asn, or an ASN .mmdb) and
 * cloud region (published ranges) of an IP address. Bundled data loads on the first lookup that needs
 * it; operator files are opened here, so a wrong path fails at start-up. Never throws on bad input:
 * anything that is not an IP address gives all nulls and network `unknown`.
 */
export function createGeoLookup(options: GeoLookupOptions = {}): GeoLookupHandle {
  const cache = new LruCache<string, GeoInfo>(options.cacheSize ?? DEFAULT_CACHE_SIZE);
  const asnDataDir = options.asnDataDir ?? defaultAsnDataDir();
  const reload = {
    reloadIntervalMs: options.reloadIntervalMs ?? DEFAULT_RELOAD_MS,
  };
  const files: MmdbFile<CityResponse | AsnResponse>[] = [];
  const watched = <T extends CityResponse | AsnResponse>(path: string, kind: 'geo' | 'asn'): MmdbFile<T> => {
    const file: MmdbFile<T> = new MmdbFile<T>(path, kind, {
      ...reload,
      onReload: (error) => {
        if (error === null) cache.clear();
        options.onReload?.(path, error);
      },
    });
    files.push(file);
    return file;
  };
  const geoDb = options.geoDb === undefined ? null : watched<CityResponse>(options.geoDb, 'geo');
  const asnDb = options.asnDb === undefined ? null : watched<AsnResponse>(options.asnDb, 'asn');
  const cloudFile = options.cloudRanges === undefined ? defaultCloudRangesFile() : options.cloudRanges;
  // An operator's ranges file is read now so a bad one fails at start-up; the bundled one on first use.
  let cloud: CloudRanges | null = cloudFile === false || options.cloudRanges === undefined ? null : cloudRangesTable(cloudFile);

  const placeOf = (address: string): Place | null => (geoDb === null ? geoipLitePlace(address) : mmdbPlace(geoDb.get(address)));
  /** `number` is the address as ipv4ToNumber / ipv6ToBigInt gives it, computed once per lookup. */
  const asnOf = (address: string, number: number | bigint): AsnHit | null => {
    if (asnDb !== null) {
      const hit = asnDb.get(address);
      return hit?.autonomous_system_number === undefined
        ? null
        : { asn: hit.autonomous_system_number, org: hit.autonomous_system_organization ?? '' };
    }
    return typeof number === 'number' ? ipv4AsnTable(asnDataDir).lookup(number) : ipv6AsnTable(asnDataDir).lookup(number);
  };
  const cloudTable = (): CloudRanges | null => {
    if (cloud === null && cloudFile !== false) cloud = cloudRangesTable(cloudFile);
    return cloud;
  };

  const locate = (ip: string): GeoInfo => {
    const version = isIP(ip);
    if (version === 0) return UNKNOWN;
    // An IPv4-mapped IPv6 address is the IPv4 address as far as geography goes.
    const mapped = version === 6 ? mappedIpv4(ip) : null;
    const address = mapped ?? ip;
    const isV4 = mapped !== null || version === 4;
    if (isPrivateAddress(address, isV4 ? 4 : 6)) return PRIVATE;

    const number = isV4 ? ipv4ToNumber(address) : ipv6ToBigInt(address);
    const place = placeOf(address);
    const asn = asnOf(address, number);
    if (place === null && asn === null) return UNKNOWN;
    const table = cloudTable();
    const range = table === null ? null : typeof number === 'number' ? table.lookupV4(number) : table.lookupV6(number);
    const cityLevel = place?.city != null;
    return Object.freeze({
      country: place?.country ?? null,
      region: place?.region ?? null,
      city: place?.city ?? null,
      latitude: place?.latitude ?? null,
      longitude: place?.longitude ?? null,
      asn: asn?.asn ?? null,
      asOrg: emptyToNull(asn?.org),
      // A published cloud range is hosting whatever the ASN data says.
      network: range !== null ? 'hosting' : asn === null ? 'unknown' : isHostingAsn(asn.asn, asn.org) ? 'hosting' : 'isp',
      cloud: cloudLocation(
        range,
        asn?.asn ?? null,
        cityLevel ? (place?.latitude ?? null) : null,
        cityLevel ? (place?.longitude ?? null) : null,
      ),
    });
  };

  return {
    lookup(ip: string): GeoInfo {
      const cached = cache.get(ip);
      if (cached !== undefined) return cached;
      const info = locate(ip);
      cache.set(ip, info);
      return info;
    },
    close() {
      for (const file of files) file.close();
    },
  };
}

function geoipLitePlace(address: string): Place | null {
  const geo = geoipLite().lookup(address);
  if (geo === null) return null;
  const [latitude, longitude] = geo.ll ?? [];
  return {
    country: emptyToNull(geo.country),
    region: emptyToNull(geo.region),
    city: emptyToNull(geo.city),
    latitude: typeof latitude === 'number' ? latitude : null,
    longitude: typeof longitude === 'number' ? longitude : null,
  };
}

/** GeoIP2/GeoLite2 and DB-IP records share this shape; English names, first subdivision as region. */
function mmdbPlace(record: CityResponse | null): Place | null {
  if (record === null) return null;
  const country = record.country?.iso_code ?? record.registered_country?.iso_code ?? null;
  const location = record.location;
  return {
    country: emptyToNull(country ?? undefined),
    region: emptyToNull(record.subdivisions?.[0]?.iso_code),
    city: emptyToNull(record.city?.names?.en),
    latitude: typeof location?.latitude === 'number' ? location.latitude : null,
    longitude: typeof location?.longitude === 'number' ? location.longitude : null,
  };
}

/** geoip-lite reports an unknown region or city as ''. */
function emptyToNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
