import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGeoLookup } from '../src/index.ts';
import { type MmdbValue, writeMmdb } from './mmdb-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'keywatch-mmdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function city(country: string, subdivision: string, name: string, latitude: number, longitude: number): MmdbValue {
  return {
    city: { names: { en: name } },
    country: { iso_code: country, names: { en: country } },
    location: { accuracy_radius: 20, latitude, longitude },
    subdivisions: [{ iso_code: subdivision, names: { en: subdivision } }],
  };
}

function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const CITY = file(
  'city.mmdb',
  writeMmdb('GeoLite2-City', [
    ['203.0.113.0/24', city('NZ', 'AUK', 'Auckland', -36.85, 174.76)],
    ['198.51.100.0/24', city('DE', 'BE', 'Berlin', 52.52, 13.4)],
    ['2001:db8:1::/48', city('JP', '13', 'Tokyo', 35.68, 139.69)],
    ['3.208.0.0/12', city('US', 'VA', 'Ashburn', 39.0481, -77.4728)],
  ]),
);
const ASN = file(
  'asn.mmdb',
  writeMmdb('GeoLite2-ASN', [
    ['203.0.113.0/24', { autonomous_system_number: 9500, autonomous_system_organization: 'One New Zealand' }],
    ['198.51.100.0/24', { autonomous_system_number: 3320, autonomous_system_organization: 'Deutsche Telekom AG' }],
    ['3.208.0.0/12', { autonomous_system_number: 14618, autonomous_system_organization: 'AMAZON-AES' }],
  ]),
);

describe('createGeoLookup with an operator .mmdb', () => {
  it('takes country, region, city and coordinates from a City database', () => {
    const geo = createGeoLookup({ geoDb: CITY, asnDb: ASN, cloudRanges: false, reloadIntervalMs: 0 });
    expect(geo.lookup('203.0.113.9')).toEqual({
      country: 'NZ',
      region: 'AUK',
      city: 'Auckland',
      latitude: -36.85,
      longitude: 174.76,
      asn: 9500,
      asOrg: 'One New Zealand',
      network: 'isp',
      cloud: null,
    });
    expect(geo.lookup('2001:db8:1:2::1')).toMatchObject({ country: 'JP', city: 'Tokyo', asn: null, network: 'unknown' });
    expect(geo.lookup('::ffff:198.51.100.7')).toMatchObject({ country: 'DE', city: 'Berlin', asn: 3320 });
  });

  it('feeds the cloud placement: an AWS address at a region city becomes that region', () => {
    const geo = createGeoLookup({ geoDb: CITY, asnDb: ASN, cloudRanges: false, reloadIntervalMs: 0 });
    expect(geo.lookup('3.208.41.7')).toMatchObject({ network: 'hosting', cloud: { provider: 'aws', region: 'us-east-1' } });
  });

  it('an address in neither database is unknown', () => {
    const geo = createGeoLookup({ geoDb: CITY, asnDb: ASN, cloudRanges: false, reloadIntervalMs: 0 });
    expect(geo.lookup('192.0.2.1')).toMatchObject({ country: null, asn: null, network: 'unknown', cloud: null });
  });

  it('refuses a database of the wrong kind, a gzip file and a missing file, naming the file', () => {
    expect(() => createGeoLookup({ geoDb: ASN, reloadIntervalMs: 0 })).toThrow(
      /asn\.mmdb is a "GeoLite2-ASN" database; expected a City or Country database/,
    );
    expect(() => createGeoLookup({ asnDb: CITY, reloadIntervalMs: 0 })).toThrow(
      /city\.mmdb is a "GeoLite2-City" database; expected an ASN database/,
    );
    const gz = file('city.mmdb.gz', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]));
    expect(() => createGeoLookup({ geoDb: gz, reloadIntervalMs: 0 })).toThrow(/gzip/);
    expect(() => createGeoLookup({ geoDb: join(dir, 'missing.mmdb'), reloadIntervalMs: 0 })).toThrow(/missing\.mmdb/);
    expect(() => createGeoLookup({ geoDb: file('junk.mmdb', Buffer.from('not a database')), reloadIntervalMs: 0 })).toThrow(
      /junk\.mmdb is not a MaxMind DB/,
    );
  });

  it('re-opens the file when it is replaced (geoipupdate, a refreshed volume) and drops cached answers', async () => {
    const path = file(
      'live.mmdb',
      writeMmdb('DBIP-City-Lite', [['203.0.113.0/24', city('NZ', 'AUK', 'Auckland', -36.85, 174.76)]]),
    );
    const reloads: (Error | null)[] = [];
    const geo = createGeoLookup({
      geoDb: path,
      asnDb: ASN,
      cloudRanges: false,
      reloadIntervalMs: 20,
      onReload: (_f, e) => reloads.push(e),
    });
    try {
      expect(geo.lookup('203.0.113.9').city).toBe('Auckland');
      // Written beside and renamed over, as geoipupdate does.
      writeFileSync(
        `${path}.new`,
        writeMmdb('DBIP-City-Lite', [['203.0.113.0/24', city('AU', 'NSW', 'Sydney', -33.87, 151.21)]]),
      );
      renameSync(`${path}.new`, path);
      await until(() => reloads.length > 0);
      expect(reloads).toEqual([null]);
      expect(geo.lookup('203.0.113.9').city).toBe('Sydney');

      // A broken replacement keeps the last good data and is reported.
      writeFileSync(path, 'half a file');
      await until(() => reloads.length > 1);
      expect(reloads[1]?.message).toMatch(/live\.mmdb is not a MaxMind DB/);
      expect(geo.lookup('203.0.113.10').city).toBe('Sydney');
    } finally {
      geo.close();
    }
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (const started = Date.now(); !condition(); ) {
    if (Date.now() - started > 5000) throw new Error('timed out waiting for the reload');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
