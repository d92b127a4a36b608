import geoip from 'geoip-lite';
import { describe, expect, it } from 'vitest';
import { generateDemo } from '../src/index.ts';
import { ALL_NETWORKS, ATTACKER_NETWORKS, HOME_NETWORKS, networkOf } from '../src/networks.ts';
import { ipOf, keyIdOf, type RawRecord } from './records.ts';

// ASNs (including the GitHub runner pool's AS8075) were checked once against the ip-location-db table through
// @keywatch/enrich's lookup; this package does not depend on it.
describe('address pools', () => {
  it('geolocate, host by host, to the country each network claims', () => {
    for (const n of ALL_NETWORKS) {
      for (const prefix of n.prefixes) {
        for (let host = 1; host < 255; host++) {
          const ip = `${prefix}.${host}`;
          expect(geoip.lookup(ip)?.country, `${ip} (${n.id})`).toBe(n.country);
        }
      }
    }
  });

  it('locate every host of a physical (ISP) network to a city, the way impossible travel needs it', () => {
    const physical = ALL_NETWORKS.filter((n) => n.physical === true);
    expect(physical.length).toBeGreaterThan(3);
    for (const n of physical) {
      for (const prefix of n.prefixes) {
        for (let host = 1; host < 255; host++) {
          const hit = geoip.lookup(`${prefix}.${host}`);
          expect(hit?.city, `${prefix}.${host} (${n.id})`).toBeTruthy();
          expect(hit?.ll).toHaveLength(2);
        }
      }
    }
  });

  it('never share a /24 between networks', () => {
    const prefixes = ALL_NETWORKS.flatMap((n) => n.prefixes);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('offer attackers abroad and same-country clouds for the home countries', () => {
    for (const home of Object.values(HOME_NETWORKS)) {
      expect(ATTACKER_NETWORKS.some((a) => a.country !== home.country)).toBe(true);
    }
    for (const country of ['US', 'DE', 'JP']) {
      expect(ATTACKER_NETWORKS.some((a) => a.country === country)).toBe(true);
    }
  });

  it('are the only addresses the dataset uses, and stolen keys abroad really come from abroad', () => {
    const demo = generateDemo({ seed: 11, keys: 20, days: 9 });
    const records = demo.records as RawRecord[];
    for (const r of records) expect(networkOf(ipOf(r)), ipOf(r)).toBeDefined();

    const byId = new Map(records.map((r) => [r.eventID ?? r._document_id, r]));
    const abroad = demo.incidents.filter((i) => i.kind === 'stolen_key_abroad');
    expect(abroad.length).toBeGreaterThan(0);
    for (const inc of abroad) {
      const homeIp = ipOf(records.find((r) => keyIdOf(r) === inc.keyId) as RawRecord);
      const homeCountry = geoip.lookup(homeIp)?.country;
      for (const id of inc.eventIds) {
        const country = geoip.lookup(ipOf(byId.get(id) as RawRecord))?.country;
        expect(country).toBeDefined();
        expect(country).not.toBe(homeCountry);
      }
    }
  });
});
