import type { CloudProvider } from './cloud-regions.ts';

/**
 * Turns the providers' published range files into the rows of keywatch's cloud ranges CSV. Pure, so the
 * update script stays a thin fetch-and-write and the parsing is tested without a network.
 */
export interface CloudRangeRow {
  provider: CloudProvider;
  region: string;
  cidr: string;
}

/** A source file and the version it states (AWS createDate, Google creationTime, Azure changeNumber). */
export interface SourceVersion {
  provider: CloudProvider;
  file: string;
  version: string;
}

const REGION = /^[a-z0-9-]+$/i;

function fail(file: string, why: string): never {
  throw new Error(`${file}: ${why}`);
}

function array(value: unknown, file: string, field: string): unknown[] {
  if (!Array.isArray(value)) fail(file, `"${field}" must be an array`);
  return value;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** AWS `ip-ranges.json`: `prefixes[].ip_prefix` and `ipv6_prefixes[].ipv6_prefix` with `region`; `GLOBAL` (edge) ranges have no place. */
export function awsRows(json: unknown, file = 'ip-ranges.json'): { rows: CloudRangeRow[]; version: SourceVersion } {
  const doc = record(json);
  const rows: CloudRangeRow[] = [];
  const add = (entries: unknown, field: string, key: string) => {
    for (const raw of array(entries, file, field)) {
      const entry = record(raw);
      const cidr = entry[key];
      const region = entry.region;
      if (typeof cidr !== 'string' || typeof region !== 'string') fail(file, `an entry of "${field}" has no ${key}/region`);
      if (region === 'GLOBAL' || !REGION.test(region)) continue;
      rows.push({ provider: 'aws', region, cidr });
    }
  };
  add(doc.prefixes, 'prefixes', 'ip_prefix');
  add(doc.ipv6_prefixes ?? [], 'ipv6_prefixes', 'ipv6_prefix');
  return { rows, version: { provider: 'aws', file, version: String(doc.createDate ?? doc.syncToken ?? 'unknown') } };
}

/** Google `cloud.json`: `prefixes[]` with `ipv4Prefix` or `ipv6Prefix` and the region in `scope`. */
export function gcpRows(json: unknown, file = 'cloud.json'): { rows: CloudRangeRow[]; version: SourceVersion } {
  const doc = record(json);
  const rows: CloudRangeRow[] = [];
  for (const raw of array(doc.prefixes, file, 'prefixes')) {
    const entry = record(raw);
    const cidr = entry.ipv4Prefix ?? entry.ipv6Prefix;
    const region = entry.scope;
    if (typeof cidr !== 'string' || typeof region !== 'string')
      fail(file, 'an entry of "prefixes" has no ipv4Prefix/ipv6Prefix/scope');
    if (region === 'global' || !REGION.test(region)) continue;
    rows.push({ provider: 'gcp', region, cidr });
  }
  return { rows, version: { provider: 'gcp', file, version: String(doc.creationTime ?? doc.syncToken ?? 'unknown') } };
}

/**
 * Azure service tags (`ServiceTags_Public_YYYYMMDD.json`): the regional `AzureCloud.<region>` tags cover
 * every public address of a region; the per-service tags repeat subsets of them.
 */
export function azureRows(json: unknown, file = 'ServiceTags_Public.json'): { rows: CloudRangeRow[]; version: SourceVersion } {
  const doc = record(json);
  const rows: CloudRangeRow[] = [];
  for (const raw of array(doc.values, file, 'values')) {
    const tag = record(raw);
    const properties = record(tag.properties);
    const region = properties.region;
    if (typeof tag.name !== 'string' || !tag.name.startsWith('AzureCloud.')) continue;
    if (typeof region !== 'string' || region === '' || !REGION.test(region)) continue;
    for (const cidr of array(properties.addressPrefixes, file, `${tag.name}.properties.addressPrefixes`)) {
      if (typeof cidr !== 'string') fail(file, `${tag.name} has a non-string address prefix`);
      rows.push({ provider: 'azure', region, cidr });
    }
  }
  return { rows, version: { provider: 'azure', file, version: String(doc.changeNumber ?? 'unknown') } };
}

/** The CSV keywatch reads (`CloudRanges`): a header naming each source's version, then one range a line, deduplicated. */
export function cloudRangesCsv(rows: CloudRangeRow[], versions: SourceVersion[], generatedAt: string): string {
  const seen = new Set<string>();
  const lines = [
    '# Cloud provider region ranges for keywatch (provider,region,cidr).',
    `# Generated ${generatedAt} by libs/enrich/scripts/update-cloud-ranges.ts from:`,
    ...versions.map((v) => `#   ${v.provider}: ${v.file} (version ${v.version})`),
  ];
  for (const row of rows) {
    const key = `${row.provider},${row.cidr}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`${row.provider},${row.region},${row.cidr}`);
  }
  return `${lines.join('\n')}\n`;
}
