import type { GeoInfo } from '@keywatch/enrich';
import { describe, expect, it } from 'vitest';
import { type DetectInput, decodeProfile, detect, encodeProfile, type Profile, teachBenign, withDefaults } from '../src/index.ts';
import { at, feed, history, KEY } from './helpers.ts';

/** Geo as enrich gives it for an AWS address placed by the published ranges. */
function cloudGeo(region: string, lat: number, lon: number, country: string): GeoInfo {
  return {
    country,
    region: null,
    city: null,
    latitude: lat,
    longitude: lon,
    asn: 14618,
    asOrg: 'AMAZON-AES',
    network: 'hosting',
    cloud: { provider: 'aws', region, latitude: lat, longitude: lon },
  };
}
const US_EAST_1 = cloudGeo('us-east-1', 39.04, -77.49, 'US');
const EU_CENTRAL_1 = cloudGeo('eu-central-1', 50.11, 8.68, 'DE');
const isp = (city: string, country: string, latitude: number, longitude: number, asn: number): GeoInfo => ({
  country,
  region: null,
  city,
  latitude,
  longitude,
  asn,
  asOrg: `${city} Broadband`,
  network: 'isp',
  cloud: null,
});
const BERLIN_ISP = isp('Berlin', 'DE', 52.52, 13.4, 3320);
const NEW_YORK_ISP = isp('New York', 'US', 40.71, -74.01, 701);
const VPN_IN_BERLIN: GeoInfo = { ...BERLIN_ISP, asn: 9009, asOrg: 'M247 Europe SRL', network: 'hosting' };

/** A bot key: five weekdays of calls from its EC2 instances in us-east-1. */
function cloudHomedKey(): Profile {
  const bot = history(5).map(
    (i): DetectInput => ({
      ...i,
      geo: US_EAST_1,
      event: { ...i.event, sourceIp: `3.208.41.${i.event.sourceIp!.split('.')[3]}` },
    }),
  );
  return feed(bot).profile!;
}

const travel = (inputs: DetectInput[], start: Profile) =>
  feed(inputs, start).findings.filter((f) => f.detector === 'impossible_travel');

describe('impossible_travel: a cloud-homed key used from a distant ISP (two parties)', () => {
  it('alerts when a residential ISP 6,700 km away calls minutes after the key ran in us-east-1', () => {
    const found = travel(
      [
        at('2026-03-09T10:00:00Z', { sourceIp: '3.208.41.10' }, US_EAST_1),
        at('2026-03-09T10:20:00Z', { sourceIp: '93.192.1.7' }, BERLIN_ISP),
      ],
      cloudHomedKey(),
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.reason).toMatch(/6,\d{3} km from AWS us-east-1, where its workload called 20 minutes earlier: two parties/);
    expect(found[0]!.evidence).toMatchObject({ previous_cloud_region: 'aws:us-east-1', minutes: 20 });
  });

  it('stays quiet when the workload moves between regions (multi-region, cloud to cloud)', () => {
    expect(
      travel(
        [
          at('2026-03-09T10:00:00Z', { sourceIp: '3.208.41.10' }, US_EAST_1),
          at('2026-03-09T10:05:00Z', { sourceIp: '18.184.97.7' }, EU_CENTRAL_1),
        ],
        cloudHomedKey(),
      ),
    ).toEqual([]);
  });

  it('stays quiet for a call from near the region, or long after the workload last ran', () => {
    const p = cloudHomedKey();
    // New York is ~330 km from Ashburn: geo databases are not that precise.
    expect(
      travel(
        [
          at('2026-03-09T10:00:00Z', { sourceIp: '3.208.41.10' }, US_EAST_1),
          at('2026-03-09T10:10:00Z', { sourceIp: '71.105.3.9' }, NEW_YORK_ISP),
        ],
        p,
      ),
    ).toEqual([]);
    // A nightly workload: Berlin 20 hours after its run could be one party that flew.
    expect(
      travel(
        [
          at('2026-03-09T02:00:00Z', { sourceIp: '3.208.41.10' }, US_EAST_1),
          at('2026-03-09T22:00:00Z', { sourceIp: '93.192.1.7' }, BERLIN_ISP),
        ],
        p,
      ),
    ).toEqual([]);
  });

  it('never takes a VPN or other hosting exit as the second party', () => {
    expect(
      travel(
        [
          at('2026-03-09T10:00:00Z', { sourceIp: '3.208.41.10' }, US_EAST_1),
          at('2026-03-09T10:20:00Z', { sourceIp: '45.1.1.1' }, VPN_IN_BERLIN),
        ],
        cloudHomedKey(),
      ),
    ).toEqual([]);
  });

  it('stays quiet for a key whose people and bots both use it (the pair is its own pattern)', () => {
    // Its humans call from a Berlin ISP, its bots from us-east-1, interleaved every day.
    const mixed = history(5).map(
      (i, n): DetectInput =>
        n % 2 === 0
          ? { ...i, geo: US_EAST_1, event: { ...i.event, sourceIp: '3.208.41.10' } }
          : { ...i, geo: BERLIN_ISP, event: { ...i.event, sourceIp: '93.192.1.7' } },
    );
    const p = feed(mixed).profile!;
    // Home ISPs hand out new addresses: a new prefix in the same city minutes after the bot ran.
    expect(
      travel(
        [
          at('2026-03-09T10:00:00Z', { sourceIp: '3.208.41.10' }, US_EAST_1),
          at('2026-03-09T10:05:00Z', { sourceIp: '79.192.30.4' }, BERLIN_ISP),
        ],
        p,
      ),
    ).toEqual([]);
  });

  it('after a benign verdict the person it met belongs to the key: their next new address stays quiet', () => {
    const { findings, profile } = feed(
      [
        at('2026-03-09T10:00:00Z', { sourceIp: '3.208.41.10' }, US_EAST_1),
        at('2026-03-09T10:20:00Z', { sourceIp: '93.192.1.7' }, BERLIN_ISP),
      ],
      cloudHomedKey(),
    );
    const alert = findings.find((f) => f.detector === 'impossible_travel')!;
    const taught = teachBenign(
      profile!,
      {
        alertId: alert.alertId,
        keyId: KEY,
        rule: 'impossible_travel',
        ip: '93.192.1.7',
        country: 'DE',
        asn: 3320,
        userAgent: null,
        action: 's3:GetObject',
        time: null,
        calls: null,
        failures: null,
      },
      Date.parse('2026-03-09T11:00:00Z') / 1000,
      withDefaults(),
    );
    expect(
      travel(
        [
          at('2026-03-10T10:00:00Z', { sourceIp: '3.208.41.10' }, US_EAST_1),
          at('2026-03-10T10:05:00Z', { sourceIp: '79.192.30.4' }, BERLIN_ISP),
        ],
        taught,
      ),
    ).toEqual([]);
  });

  it('stays quiet while the key is still learning', () => {
    const young = feed([at('2026-03-02T09:00:00Z', { sourceIp: '3.208.41.10' }, US_EAST_1)]).profile!;
    expect(travel([at('2026-03-02T09:10:00Z', { sourceIp: '93.192.1.7' }, BERLIN_ISP)], young)).toEqual([]);
  });

  it('does not place a cloud address whose region is unknown', () => {
    const unplaced: GeoInfo = { ...US_EAST_1, cloud: { provider: 'gcp', region: null, latitude: null, longitude: null } };
    const bot = history(5).map((i): DetectInput => ({ ...i, geo: unplaced, event: { ...i.event, sourceIp: '35.184.40.7' } }));
    const p = feed(bot).profile!;
    expect(p.cloudLocated).toBeUndefined();
    expect(travel([at('2026-03-09T10:20:00Z', { sourceIp: '93.192.1.7' }, BERLIN_ISP)], p)).toEqual([]);
  });

  it('keeps the last cloud region in the encoded profile', () => {
    const p = feed([at('2026-03-09T10:00:00Z', { sourceIp: '3.208.41.10' }, US_EAST_1)], cloudHomedKey()).profile!;
    expect(p.cloudLocated).toEqual({
      t: Date.parse('2026-03-09T10:00:00Z') / 1000,
      lat: 39.04,
      lon: -77.49,
      place: 'aws:us-east-1',
    });
    expect(decodeProfile(encodeProfile(p)).cloudLocated).toEqual(p.cloudLocated);
    expect(
      detect(
        at('2026-03-09T10:20:00Z', { sourceIp: '93.192.1.7' }, BERLIN_ISP),
        decodeProfile(encodeProfile(p)),
        withDefaults(),
      ).findings.map((f) => f.detector),
    ).toContain('impossible_travel');
  });
});
