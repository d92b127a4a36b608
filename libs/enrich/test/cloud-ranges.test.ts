import { beforeAll, describe, expect, it } from 'vitest';
import { cloudLocation } from '../src/cloud-locate.ts';
import { awsRows, azureRows, CloudRanges, cloudRangesCsv, createGeoLookup, gcpRows, regionPlace } from '../src/index.ts';
import { ipv4ToNumber, ipv6ToBigInt } from '../src/ip-number.ts';

const v4 = (table: CloudRanges, ip: string) => table.lookupV4(ipv4ToNumber(ip));
const v6 = (table: CloudRanges, ip: string) => table.lookupV6(ipv6ToBigInt(ip));

describe('CloudRanges', () => {
  it('finds the region of an address inside a published range, nothing outside', () => {
    const table = new CloudRanges('aws,us-east-1,3.80.0.0/12\ngcp,europe-west3,34.89.0.0/17\n', 't.csv');
    expect(v4(table, '3.80.0.0')).toEqual({ provider: 'aws', region: 'us-east-1' });
    expect(v4(table, '3.95.255.255')).toEqual({ provider: 'aws', region: 'us-east-1' });
    expect(v4(table, '3.96.0.0')).toBeNull();
    expect(v4(table, '3.79.255.255')).toBeNull();
    expect(v4(table, '34.89.12.1')).toEqual({ provider: 'gcp', region: 'europe-west3' });
  });

  it('gives the most specific range where published ranges nest', () => {
    const table = new CloudRanges(
      [
        'aws,us-east-1,52.0.0.0/11',
        'aws,eu-west-1,52.16.0.0/15',
        'aws,eu-west-2,52.17.128.0/17',
        'aws,ap-south-1,52.31.0.0/16',
      ].join('\n'),
      't.csv',
    );
    expect(v4(table, '52.0.0.1')?.region).toBe('us-east-1');
    expect(v4(table, '52.16.0.1')?.region).toBe('eu-west-1');
    expect(v4(table, '52.17.128.1')?.region).toBe('eu-west-2');
    expect(v4(table, '52.17.127.255')?.region).toBe('eu-west-1');
    expect(v4(table, '52.18.0.0')?.region).toBe('us-east-1'); // back in the outer block after the nested ones
    expect(v4(table, '52.31.0.1')?.region).toBe('ap-south-1');
    expect(v4(table, '52.31.255.255')?.region).toBe('ap-south-1');
    expect(v4(table, '52.32.0.0')).toBeNull();
  });

  it('keeps the first of a range listed twice and ignores comments and blank lines', () => {
    const table = new CloudRanges('# header\n\naws,us-east-1,3.80.0.0/12\naws,us-west-2,3.80.0.0/12\n', 't.csv');
    expect(v4(table, '3.81.0.0')?.region).toBe('us-east-1');
    expect(table.size).toBe(1);
  });

  it('looks up IPv6 ranges, host bits in the listed network ignored', () => {
    const table = new CloudRanges('azure,westeurope,2603:1020:200::1/46\naws,us-east-1,2600:1f18::/33\n', 't.csv');
    expect(v6(table, '2603:1020:203:ffff::1')).toEqual({ provider: 'azure', region: 'westeurope' });
    expect(v6(table, '2603:1020:204::1')).toBeNull();
    expect(v6(table, '2600:1f18:7fff::1')?.region).toBe('us-east-1');
    expect(v6(table, '2600:1f18:8000::1')).toBeNull();
  });

  it('names the file and line of a malformed row', () => {
    expect(() => new CloudRanges('aws,us-east-1,3.80.0.0/12\noracle,x,1.2.3.0/24\n', 'ranges.csv')).toThrow(
      /ranges\.csv:2: expected "provider,region,cidr"/,
    );
    expect(() => new CloudRanges('aws,us-east-1,3.80.0.0/33\n', 'r.csv')).toThrow(/r\.csv:1/);
    expect(() => new CloudRanges('aws,us-east-1,not-an-ip/8\n', 'r.csv')).toThrow(/r\.csv:1/);
  });
});

describe('published range files → the ranges CSV', () => {
  it('reads AWS ip-ranges.json, leaving out GLOBAL (edge) ranges', () => {
    const { rows, version } = awsRows({
      createDate: '2026-11-30-21-13-07',
      prefixes: [
        { ip_prefix: '3.80.0.0/12', region: 'us-east-1', service: 'AMAZON' },
        { ip_prefix: '3.80.0.0/12', region: 'us-east-1', service: 'EC2' },
        { ip_prefix: '13.32.0.0/15', region: 'GLOBAL', service: 'CLOUDFRONT' },
      ],
      ipv6_prefixes: [{ ipv6_prefix: '2600:1f18::/33', region: 'us-east-1', service: 'EC2' }],
    });
    expect(rows).toEqual([
      { provider: 'aws', region: 'us-east-1', cidr: '3.80.0.0/12' },
      { provider: 'aws', region: 'us-east-1', cidr: '3.80.0.0/12' },
      { provider: 'aws', region: 'us-east-1', cidr: '2600:1f18::/33' },
    ]);
    expect(version.version).toBe('2026-11-30-21-13-07');
  });

  it('reads Google cloud.json and Azure AzureCloud.<region> service tags only', () => {
    expect(
      gcpRows({
        creationTime: '2026-12-01T10:00:00',
        prefixes: [
          { ipv4Prefix: '34.89.0.0/17', scope: 'europe-west3' },
          { ipv6Prefix: '2600:1900:4000::/44', scope: 'us-central1' },
          { ipv4Prefix: '35.190.0.0/17', scope: 'global' },
        ],
      }).rows.map((r) => r.region),
    ).toEqual(['europe-west3', 'us-central1']);
    const azure = azureRows({
      changeNumber: 321,
      values: [
        { name: 'AzureCloud', properties: { region: '', addressPrefixes: ['13.64.0.0/16'] } },
        {
          name: 'AzureCloud.westeurope',
          properties: { region: 'westeurope', addressPrefixes: ['13.69.0.0/17', '2603:1020:200::/46'] },
        },
        { name: 'Storage.westeurope', properties: { region: 'westeurope', addressPrefixes: ['13.69.40.0/24'] } },
      ],
    });
    expect(azure.rows.map((r) => r.cidr)).toEqual(['13.69.0.0/17', '2603:1020:200::/46']);
    expect(azure.version.version).toBe('321');
  });

  it('says which file is malformed', () => {
    expect(() => awsRows({ prefixes: 'no' }, 'ip-ranges.json')).toThrow(/ip-ranges\.json: "prefixes" must be an array/);
    expect(() => gcpRows({ prefixes: [{ scope: 'x' }] }, 'cloud.json')).toThrow(/cloud\.json/);
  });

  it('writes a CSV that CloudRanges reads back, duplicates dropped, sources named', () => {
    const aws = awsRows({
      createDate: 'v1',
      prefixes: [
        { ip_prefix: '3.80.0.0/12', region: 'us-east-1' },
        { ip_prefix: '3.80.0.0/12', region: 'us-east-1' },
      ],
    });
    const csv = cloudRangesCsv(aws.rows, [aws.version], '2026-12-04T00:00:00Z');
    expect(csv).toContain('#   aws: ip-ranges.json (version v1)');
    expect(csv.match(/^aws,/gm)).toHaveLength(1);
    expect(v4(new CloudRanges(csv, 'out.csv'), '3.90.1.1')?.region).toBe('us-east-1');
  });
});

describe('createGeoLookup: cloud locations', () => {
  // The bundled geo and ASN data load on the first lookup (seconds on a busy machine), once per process.
  beforeAll(() => void createGeoLookup({ cloudRanges: false }).lookup('1.1.1.1'), 60_000);

  it('places an address of a published range at its region, whatever GeoLite2 says', () => {
    // 34.72.90.10 is Google Cloud; GeoLite2 only knows "US" (a country centroid) for it.
    const file = new URL('./fixtures/cloud-ranges.csv', import.meta.url).pathname;
    const geo = createGeoLookup({ cloudRanges: file });
    const info = geo.lookup('34.72.90.10');
    expect(info.city).toBeNull();
    expect(info.cloud).toEqual({
      provider: 'gcp',
      region: 'us-central1',
      latitude: regionPlace('gcp', 'us-central1')![0],
      longitude: regionPlace('gcp', 'us-central1')![1],
    });
    expect(info.network).toBe('hosting');
  });

  it('places an AWS address not in the ranges file by its geofeed city (the nearest AWS region)', () => {
    const geo = createGeoLookup({ cloudRanges: false });
    expect(geo.lookup('3.208.41.7').cloud).toMatchObject({ provider: 'aws', region: 'us-east-1' });
    expect(geo.lookup('18.184.97.7').cloud).toMatchObject({ provider: 'aws', region: 'eu-central-1' });
    expect(geo.lookup('13.112.201.7').cloud).toMatchObject({ provider: 'aws', region: 'ap-northeast-1' });
  });

  it('geofeed placement: the nearest region within 150 km, a commercial region before a GovCloud one in the same metro', () => {
    expect(cloudLocation(null, 16509, 45.84, -119.7)?.region).toBe('us-west-2'); // Boardman, Oregon
    expect(cloudLocation(null, 16509, 39.96, -83.0)?.region).toBe('us-east-2'); // Columbus, Ohio
    expect(cloudLocation(null, 16509, 47.61, -122.33)).toMatchObject({ provider: 'aws', region: null }); // Seattle: head office
    expect(cloudLocation(null, 3320, 39.04, -77.49)).toBeNull(); // not a cloud ASN
  });

  it('recognises Google Cloud and Azure by ASN without placing them when no range says where', () => {
    const geo = createGeoLookup({ cloudRanges: false });
    expect(geo.lookup('35.184.40.7').cloud).toEqual({ provider: 'gcp', region: null, latitude: null, longitude: null });
    expect(geo.lookup('20.36.1.1').cloud).toEqual({ provider: 'azure', region: null, latitude: null, longitude: null });
  });

  it('gives no cloud location to ISPs, other hosters, Google public DNS or private addresses', () => {
    const geo = createGeoLookup({ cloudRanges: false });
    expect(geo.lookup('217.0.0.1').cloud).toBeNull();
    expect(geo.lookup('2a01:4f8::1').cloud).toBeNull(); // Hetzner: hosting, not a cloud region
    expect(geo.lookup('8.8.8.8').cloud).toBeNull();
    expect(geo.lookup('10.0.0.1').cloud).toBeNull();
  });

  it('fails at creation on an unreadable ranges file, naming it', () => {
    expect(() => createGeoLookup({ cloudRanges: '/nonexistent/ranges.csv' })).toThrow(/\/nonexistent\/ranges\.csv/);
  });

  it('reads the bundled ranges file: Google Cloud regions', () => {
    const geo = createGeoLookup();
    expect(geo.lookup('35.184.40.7').cloud).toMatchObject({ provider: 'gcp', region: 'us-central1' });
    expect(geo.lookup('34.89.130.1').cloud).toMatchObject({ provider: 'gcp', region: 'europe-west3' });
    expect(geo.lookup('1.1.1.1').cloud).toBeNull();
  });
});
