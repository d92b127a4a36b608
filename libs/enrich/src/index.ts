export { isWithinBusinessHours } from './business-hours.ts';
export { type CloudRange, CloudRanges } from './cloud-ranges.ts';
export { type CloudProvider, regionPlace } from './cloud-regions.ts';
export { awsRows, azureRows, type CloudRangeRow, cloudRangesCsv, gcpRows, type SourceVersion } from './cloud-sources.ts';
export { GeoDataError } from './geo-data-error.ts';
export { createGeoLookup, type GeoLookupHandle, type GeoLookupOptions } from './geo-lookup.ts';
export { isHostingAsn } from './hosting-asns.ts';
export { timeContext } from './time-context.ts';
export type { BusinessHours, CloudLocation, GeoInfo, GeoLookup, NetworkKind, TimeInfo } from './types.ts';
