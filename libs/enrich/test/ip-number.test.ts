import { describe, expect, it } from 'vitest';
import { ipv4ToNumber, ipv6ToBigInt, mappedIpv4 } from '../src/ip-number.ts';

describe('ipv4ToNumber', () => {
  it('converts dotted quads to unsigned 32-bit numbers', () => {
    expect(ipv4ToNumber('0.0.0.0')).toBe(0);
    expect(ipv4ToNumber('1.0.0.0')).toBe(16777216);
    expect(ipv4ToNumber('8.8.8.8')).toBe(134744072);
    expect(ipv4ToNumber('255.255.255.255')).toBe(4294967295);
  });
});

describe('ipv6ToBigInt', () => {
  it('expands :: and hex groups', () => {
    expect(ipv6ToBigInt('::')).toBe(0n);
    expect(ipv6ToBigInt('::1')).toBe(1n);
    expect(ipv6ToBigInt('2001:200::')).toBe(42540528726795050063891204319802818560n);
    expect(ipv6ToBigInt('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe((1n << 128n) - 1n);
    expect(ipv6ToBigInt('2001:DB8::1')).toBe(ipv6ToBigInt('2001:0db8:0000:0000:0000:0000:0000:0001'));
  });

  it('reads a dotted IPv4 tail and ignores a zone id', () => {
    expect(ipv6ToBigInt('::ffff:1.2.3.4')).toBe(0xffff01020304n);
    expect(ipv6ToBigInt('fe80::1%eth0')).toBe(ipv6ToBigInt('fe80::1'));
  });
});

describe('mappedIpv4', () => {
  it('extracts the IPv4 address of ::ffff:a.b.c.d only', () => {
    expect(mappedIpv4('::ffff:8.8.8.8')).toBe('8.8.8.8');
    expect(mappedIpv4('::FFFF:8.8.8.8')).toBe('8.8.8.8');
    expect(mappedIpv4('64:ff9b::8.8.8.8')).toBeNull();
    expect(mappedIpv4('2001:db8::1')).toBeNull();
  });
});
