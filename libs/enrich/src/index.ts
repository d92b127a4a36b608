export { createGeoLookup, type GeoLookupOptions } from './geo-lookup.ts';
export { isHostingAsn } from './hosting-asns.ts';
export { timeContext } from './time-context.ts';
export type { BusinessHours, GeoInfo, GeoLookup, NetworkKind, TimeInfo } from './types.ts';
