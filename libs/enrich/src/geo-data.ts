import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as GeoipLite from 'geoip-lite';
import { type Ipv4AsnTable, type Ipv6AsnTable, loadIpv4AsnTable, loadIpv6AsnTable } from './asn-table.ts';

/**
 * The data sets behind geo lookups, each loaded synchronously on first use and then shared by every
 * GeoLookup in the process: geoip-lite reads ~110 MB when required, the ASN tables take a few hundred ms.
 */
const require = createRequire(import.meta.url);

let geoip: typeof GeoipLite | undefined;
const ipv4Tables = new Map<string, Ipv4AsnTable>();
const ipv6Tables = new Map<string, Ipv6AsnTable>();

export function geoipLite(): typeof GeoipLite {
  geoip ??= require('geoip-lite') as typeof GeoipLite;
  return geoip;
}

/** Directory of the bundled @ip-location-db/asn CSV files. */
export function defaultAsnDataDir(): string {
  return dirname(require.resolve('@ip-location-db/asn/asn-ipv4-num.csv'));
}

export function ipv4AsnTable(dataDir: string): Ipv4AsnTable {
  let table = ipv4Tables.get(dataDir);
  if (table === undefined) {
    table = loadIpv4AsnTable(dataDir);
    ipv4Tables.set(dataDir, table);
  }
  return table;
}

export function ipv6AsnTable(dataDir: string): Ipv6AsnTable {
  let table = ipv6Tables.get(dataDir);
  if (table === undefined) {
    table = loadIpv6AsnTable(dataDir);
    ipv6Tables.set(dataDir, table);
  }
  return table;
}
