import { describe, expect, it } from 'vitest';
import { isHostingAsn } from '../src/index.ts';

describe('isHostingAsn', () => {
  it.each([
    [16509, 'AWS'],
    [15169, 'Google'],
    [396982, 'Google Cloud'],
    [8075, 'Microsoft'],
    [14061, 'DigitalOcean'],
    [24940, 'Hetzner'],
    [13335, 'Cloudflare'],
    [36183, 'iCloud Private Relay'],
    [9009, 'M247'],
  ])('knows AS%i (%s)', (asn) => {
    expect(isHostingAsn(asn)).toBe(true);
  });

  it('does not flag ISPs, CDN edges or corporate networks', () => {
    expect(isHostingAsn(3320, 'Deutsche Telekom AG')).toBe(false);
    expect(isHostingAsn(20940, 'Akamai International B.V.')).toBe(false);
    expect(isHostingAsn(3598, 'Microsoft Corporation')).toBe(false);
    expect(isHostingAsn(7922)).toBe(false);
  });

  it('falls back to hosting words in the organisation name', () => {
    expect(isHostingAsn(64500, 'Example Hosting Ltd')).toBe(true);
    expect(isHostingAsn(64500, 'Acme Cloud Services')).toBe(true);
    expect(isHostingAsn(64500, 'Nordic Data Center AB')).toBe(true);
    expect(isHostingAsn(64500, 'FastVPN Inc')).toBe(false); // only at a word start: "FastVPN" is not matched
    expect(isHostingAsn(64500, 'Best VPN Inc')).toBe(true);
    expect(isHostingAsn(64500, 'Dedicated Servers LLC')).toBe(true);
    expect(isHostingAsn(64500, 'Observer Media')).toBe(false);
    expect(isHostingAsn(64500, null)).toBe(false);
  });
});
