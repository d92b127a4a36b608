/**
 * Refreshes keywatch's cloud region ranges from the providers' official files (needs internet):
 *
 *   bash scripts/node24.sh node libs/enrich/scripts/update-cloud-ranges.ts [--out FILE] [--from-dir DIR]
 *
 * Without --from-dir it downloads
 *   AWS    https://ip-ranges.amazonaws.com/ip-ranges.json
 *   Google https://www.gstatic.com/ipranges/cloud.json
 *   Azure  ServiceTags_Public_*.json, linked from https://www.microsoft.com/en-us/download/details.aspx?id=56519
 *          (its name changes weekly; set AZURE_SERVICE_TAGS_URL to skip the page)
 * With --from-dir DIR it reads ip-ranges.json, cloud.json and ServiceTags_Public*.json from DIR instead
 * (downloaded elsewhere, for an air-gapped host). A provider whose file cannot be had is left out, with a
 * warning, rather than failing the whole update. --out defaults to the bundled libs/enrich/data/cloud-ranges.csv;
 * point `createGeoLookup({ cloudRanges })` (worker `geo.cloudRanges`, CLI `--cloud-ranges`) at another file.
 */
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudRanges } from '../src/cloud-ranges.ts';
import { awsRows, azureRows, type CloudRangeRow, cloudRangesCsv, gcpRows, type SourceVersion } from '../src/cloud-sources.ts';
import { defaultCloudRangesFile } from '../src/geo-data.ts';

const AWS_URL = 'https://ip-ranges.amazonaws.com/ip-ranges.json';
const GCP_URL = 'https://www.gstatic.com/ipranges/cloud.json';
const AZURE_PAGE = 'https://www.microsoft.com/en-us/download/details.aspx?id=56519';

const { values } = parseArgs({ options: { out: { type: 'string' }, 'from-dir': { type: 'string' } } });
const out = values.out ?? defaultCloudRangesFile();
const dir = values['from-dir'];

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function azureUrl(): Promise<string> {
  if (process.env.AZURE_SERVICE_TAGS_URL) return process.env.AZURE_SERVICE_TAGS_URL;
  const page = await (await fetch(AZURE_PAGE, { signal: AbortSignal.timeout(60_000) })).text();
  const link = /https:\/\/download\.microsoft\.com\/download\/[^"'\s]+ServiceTags_Public_\d+\.json/.exec(page)?.[0];
  if (link === undefined) throw new Error(`no ServiceTags_Public_*.json link on ${AZURE_PAGE}; set AZURE_SERVICE_TAGS_URL`);
  return link;
}

function local(name: RegExp): { file: string; json: unknown } {
  const file = readdirSync(dir!)
    .filter((f) => name.test(f))
    .sort()
    .pop();
  if (file === undefined) throw new Error(`no file matching ${name} in ${dir}`);
  return { file, json: JSON.parse(readFileSync(join(dir!, file), 'utf8')) };
}

const sources: [string, () => Promise<{ rows: CloudRangeRow[]; version: SourceVersion }>][] = [
  ['aws', async () => (dir ? awsRows(local(/^ip-ranges\.json$/).json) : awsRows(await fetchJson(AWS_URL), AWS_URL))],
  ['gcp', async () => (dir ? gcpRows(local(/^cloud\.json$/).json) : gcpRows(await fetchJson(GCP_URL), GCP_URL))],
  [
    'azure',
    async () => {
      if (dir) {
        const { file, json } = local(/^ServiceTags_Public.*\.json$/);
        return azureRows(json, file);
      }
      const url = await azureUrl();
      return azureRows(await fetchJson(url), url);
    },
  ],
];

const rows: CloudRangeRow[] = [];
const versions: SourceVersion[] = [];
for (const [provider, load] of sources) {
  try {
    const result = await load();
    rows.push(...result.rows);
    versions.push(result.version);
    process.stderr.write(`${provider}: ${result.rows.length} ranges (${result.version.version})\n`);
  } catch (error) {
    process.stderr.write(`warning: ${provider} left out: ${(error as Error).message}\n`);
  }
}
if (rows.length === 0) {
  process.stderr.write('no provider could be read; nothing written\n');
  process.exit(1);
}
const csv = cloudRangesCsv(rows, versions, new Date().toISOString());
// Parse what was produced before it replaces the old file: keywatch must be able to load it.
const table = new CloudRanges(csv, out);
writeFileSync(`${out}.tmp`, csv);
renameSync(`${out}.tmp`, out);
process.stderr.write(`wrote ${out}: ${rows.length} published ranges, ${table.size} after flattening\n`);
