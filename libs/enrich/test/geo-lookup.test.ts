import { beforeAll, describe, expect, it } from 'vitest';
import { createGeoLookup } from '../src/index.ts';

// One lookup shared by the file: the data sets load once per process anyway.
const geo = createGeoLookup();
// The bundled data loads on the first lookup: seconds on a busy machine, more than one test's timeout.
beforeAll(() => void geo.lookup('1.1.1.1'), 60_000);

describe('createGeoLookup: public addresses the bundled data knows', () => {
  it('8.8.8.8 is Google in the US, a hosting network', () => {
    expect(geo.lookup('8.8.8.8')).toMatchObject({ country: 'US', asn: 15169, asOrg: 'Google LLC', network: 'hosting' });
  });

  it('1.1.1.1 is Cloudflare, AS13335', () => {
    expect(geo.lookup('1.1.1.1')).toMatchObject({ asn: 13335, network: 'hosting' });
  });

  it('a Deutsche Telekom address is a German ISP with coordinates', () => {
    const info = geo.lookup('217.0.0.1');
    expect(info).toMatchObject({ country: 'DE', asn: 3320, asOrg: 'Deutsche Telekom AG', network: 'isp' });
    expect(info.latitude).toBeTypeOf('number');
    expect(info.longitude).toBeTypeOf('number');
  });

  it('gives region and city when GeoLite2 has them', () => {
    expect(geo.lookup('81.2.69.142')).toMatchObject({ country: 'GB', region: 'ENG', city: 'Newmarket', asn: 20712 });
  });

  it('looks up IPv6 addresses', () => {
    expect(geo.lookup('2001:4860:4860::8888')).toMatchObject({ country: 'US', asn: 15169, network: 'hosting' });
    expect(geo.lookup('2003::1')).toMatchObject({ country: 'DE', asn: 3320, network: 'isp' });
    expect(geo.lookup('2a01:4f8::1')).toMatchObject({ country: 'DE', asn: 24940, network: 'hosting' });
  });

  it('treats an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(geo.lookup('::ffff:8.8.8.8')).toEqual(geo.lookup('8.8.8.8'));
  });

  it('turns an unknown region or city into null, never an empty string', () => {
    const info = geo.lookup('8.8.8.8');
    expect(info.region).toBeNull();
    expect(info.city).toBeNull();
  });
});

describe('createGeoLookup: addresses without a place', () => {
  const nowhere = {
    country: null,
    region: null,
    city: null,
    latitude: null,
    longitude: null,
    asn: null,
    asOrg: null,
    cloud: null,
  };

  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '127.0.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    'fd00::1',
    'fc00::1',
    'fe80::1',
    'fe80::1%eth0',
    '::1',
    '::ffff:10.0.0.1',
  ])('%s is private, with no geo', (ip) => {
    expect(geo.lookup(ip)).toEqual({ ...nowhere, network: 'private' });
  });

  it.each(['172.32.0.1', '100.128.0.1', '11.0.0.1'])('%s, next to a private range, is not private', (ip) => {
    expect(geo.lookup(ip).network).not.toBe('private');
  });

  it.each(['192.0.2.1', '198.51.100.7', '203.0.113.9', '2001:db8::1'])('documentation address %s is unknown', (ip) => {
    expect(geo.lookup(ip)).toEqual({ ...nowhere, network: 'unknown' });
  });

  it.each(['', 'not-an-ip', '999.1.1.1', '1.2.3', '06.1.2.3', '2001:db8::g', ' 8.8.8.8'])('invalid %j is unknown', (ip) => {
    expect(geo.lookup(ip)).toEqual({ ...nowhere, network: 'unknown' });
  });
});

describe('createGeoLookup: cache', () => {
  it('hands back the same frozen result for a repeated address', () => {
    const lookup = createGeoLookup({ cacheSize: 10 });
    const first = lookup.lookup('8.8.4.4');
    expect(lookup.lookup('8.8.4.4')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('still answers correctly with the cache disabled', () => {
    const lookup = createGeoLookup({ cacheSize: 0 });
    const first = lookup.lookup('8.8.4.4');
    const second = lookup.lookup('8.8.4.4');
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
  });

  it('rejects a nonsensical cache size', () => {
    expect(() => createGeoLookup({ cacheSize: -1 })).toThrow(/cacheSize/);
  });
});
