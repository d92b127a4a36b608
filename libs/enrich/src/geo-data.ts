import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as GeoipLite from 'geoip-lite';
import { type Ipv4AsnTable, type Ipv6AsnTable, loadIpv4AsnTable, loadIpv6AsnTable } from './asn-table.ts';
import { CloudRanges } from './cloud-ranges.ts';
import { GeoDataError } from './geo-data-error.ts';

/**
 * The data sets behind geo lookups, each loaded synchronously on first use and then shared by every
 * GeoLookup in the process: geoip-lite reads ~110 MB when required, the ASN tables take a few hundred ms.
 */
const require = createRequire(import.meta.url);

let geoip: typeof GeoipLite | undefined;
const ipv4Tables = new Map<string, Ipv4AsnTable>();
const ipv6Tables = new Map<string, Ipv6AsnTable>();
const cloudTables = new Map<string, CloudRanges>();

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

/** The bundled snapshot of the providers' published region ranges (see README: updating the data). */
export function defaultCloudRangesFile(): string {
  return fileURLToPath(new URL('../data/cloud-ranges.csv', import.meta.url));
}

export function cloudRangesTable(file: string): CloudRanges {
  let table = cloudTables.get(file);
  if (table === undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new GeoDataError(`cannot read the cloud ranges file ${file}: ${(error as Error).message}`);
    }
    table = new CloudRanges(text, file);
    cloudTables.set(file, table);
  }
  return table;
}
