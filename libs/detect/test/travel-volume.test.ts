import type { GeoInfo } from '@keywatch/enrich';
import { describe, expect, it } from 'vitest';
import { detect, distanceKm, withDefaults } from '../src/index.ts';
import { at, feed, history } from './helpers.ts';

const BERLIN_ISP: GeoInfo = {
  country: 'DE',
  region: 'BE',
  city: 'Berlin',
  latitude: 52.52,
  longitude: 13.4,
  asn: 3320,
  asOrg: 'Deutsche Telekom AG',
  network: 'isp',
};
const SAO_PAULO_ISP: GeoInfo = {
  country: 'BR',
  region: 'SP',
  city: 'São Paulo',
  latitude: -23.55,
  longitude: -46.63,
  asn: 28573,
  asOrg: 'Claro NXT',
  network: 'isp',
};
const PARIS_ISP: GeoInfo = {
  country: 'FR',
  region: 'IDF',
  city: 'Paris',
  latitude: 48.86,
  longitude: 2.35,
  asn: 3215,
  asOrg: 'Orange',
  network: 'isp',
};
const VPN_IN_SINGAPORE: GeoInfo = {
  country: 'SG',
  region: null,
  city: 'Singapore',
  latitude: 1.29,
  longitude: 103.85,
  asn: 9009,
  asOrg: 'M247 Europe SRL',
  network: 'hosting',
};
const COUNTRY_ONLY: GeoInfo = {
  country: 'US',
  region: null,
  city: null,
  latitude: 37.751,
  longitude: -97.822,
  asn: 7922,
  asOrg: 'Comcast',
  network: 'isp',
};

/** A key used from a Berlin ISP during the week. */
function berlinKey() {
  return feed(history(5).map((i) => ({ ...i, geo: BERLIN_ISP, event: { ...i.event, sourceIp: '80.150.1.2' } }))).profile!;
}

describe('impossible_travel', () => {
  it('measures great-circle distance', () => {
    expect(Math.round(distanceKm({ lat: 52.52, lon: 13.4 }, { lat: 48.86, lon: 2.35 }))).toBe(877);
  });

  it('fires when the implied speed is beyond any traveller', () => {
    const p = feed([at('2026-03-09T10:00:00Z', { sourceIp: '80.150.1.2' }, BERLIN_ISP)], berlinKey()).profile!;
    const r = detect(at('2026-03-09T10:40:00Z', { sourceIp: '177.10.1.1' }, SAO_PAULO_ISP), p, withDefaults());
    const travel = r.findings.filter((f) => f.detector === 'impossible_travel');
    expect(travel).toHaveLength(1);
    expect(travel[0]!.reason).toMatch(/10,\d{3} km from its previous call in DE 40 minutes earlier/);
  });

  it('stays quiet for a plausible trip', () => {
    const p = feed([at('2026-03-09T08:00:00Z', { sourceIp: '80.150.1.2' }, BERLIN_ISP)], berlinKey()).profile!;
    const r = detect(at('2026-03-09T11:00:00Z', { sourceIp: '90.1.1.1' }, PARIS_ISP), p, withDefaults());
    expect(r.findings.map((f) => f.detector)).not.toContain('impossible_travel');
  });

  it('never counts cloud, hosting or VPN networks, nor country-only geo, as locations', () => {
    const p = feed([at('2026-03-09T10:00:00Z', { sourceIp: '80.150.1.2' }, BERLIN_ISP)], berlinKey()).profile!;
    for (const geo of [VPN_IN_SINGAPORE, COUNTRY_ONLY]) {
      const r = detect(at('2026-03-09T10:10:00Z', { sourceIp: '45.1.1.1' }, geo), p, withDefaults());
      expect(r.findings.map((f) => f.detector)).not.toContain('impossible_travel');
    }
    // ...and a VPN hop does not become the point the next call is measured from.
    const afterVpn = feed([at('2026-03-09T10:10:00Z', { sourceIp: '45.1.1.1' }, VPN_IN_SINGAPORE)], p).profile!;
    expect(afterVpn.located?.country).toBe('DE');
  });
});
