import { describe, expect, it } from 'vitest';
import { ipInCidrs } from '../src/index.ts';

describe('ipInCidrs: IPv4', () => {
  it('matches inside a prefix and not just outside it', () => {
    expect(ipInCidrs('203.0.113.7', ['203.0.113.0/24'])).toBe(true);
    expect(ipInCidrs('203.0.113.255', ['203.0.113.0/24'])).toBe(true);
    expect(ipInCidrs('203.0.114.0', ['203.0.113.0/24'])).toBe(false);
    expect(ipInCidrs('10.200.1.1', ['10.0.0.0/8'])).toBe(true);
    expect(ipInCidrs('11.0.0.0', ['10.0.0.0/8'])).toBe(false);
  });

  it('treats /32 and a bare address as one host', () => {
    expect(ipInCidrs('198.51.100.17', ['198.51.100.17/32'])).toBe(true);
    expect(ipInCidrs('198.51.100.18', ['198.51.100.17/32'])).toBe(false);
    expect(ipInCidrs('198.51.100.17', ['198.51.100.17'])).toBe(true);
    expect(ipInCidrs('198.51.100.18', ['198.51.100.17'])).toBe(false);
  });

  it('matches everything with /0, but only IPv4', () => {
    expect(ipInCidrs('1.2.3.4', ['0.0.0.0/0'])).toBe(true);
    expect(ipInCidrs('255.255.255.255', ['0.0.0.0/0'])).toBe(true);
    expect(ipInCidrs('2001:db8::1', ['0.0.0.0/0'])).toBe(false);
  });

  it('ignores host bits set in the network address', () => {
    expect(ipInCidrs('203.0.113.200', ['203.0.113.7/24'])).toBe(true);
  });

  it('matches an IPv4-mapped IPv6 address against IPv4 entries', () => {
    expect(ipInCidrs('::ffff:203.0.113.7', ['203.0.113.0/24'])).toBe(true);
    expect(ipInCidrs('::ffff:203.0.114.7', ['203.0.113.0/24'])).toBe(false);
  });
});

describe('ipInCidrs: IPv6', () => {
  it('matches inside a prefix and not just outside it', () => {
    expect(ipInCidrs('2001:db8:1234:5678::1', ['2001:db8:1234::/48'])).toBe(true);
    expect(ipInCidrs('2001:db8:1235::1', ['2001:db8:1234::/48'])).toBe(false);
    expect(ipInCidrs('2001:DB8:1234::abcd', ['2001:db8:1234::/48'])).toBe(true);
  });

  it('treats /128 and a bare address as one host', () => {
    expect(ipInCidrs('2001:db8::1', ['2001:db8::1/128'])).toBe(true);
    expect(ipInCidrs('2001:db8::2', ['2001:db8::1/128'])).toBe(false);
    expect(ipInCidrs('2001:0db8:0:0:0:0:0:1', ['2001:db8::1'])).toBe(true);
  });

  it('matches every IPv6 address with ::/0, but no IPv4 address', () => {
    expect(ipInCidrs('2001:db8::1', ['::/0'])).toBe(true);
    expect(ipInCidrs('fe80::1', ['::/0'])).toBe(true);
    expect(ipInCidrs('1.2.3.4', ['::/0'])).toBe(false);
  });
});

describe('ipInCidrs: lists and bad input', () => {
  it('matches when any entry matches', () => {
    expect(ipInCidrs('2001:db8::1', ['10.0.0.0/8', '2001:db8::/32'])).toBe(true);
    expect(ipInCidrs('192.168.1.1', ['10.0.0.0/8', '2001:db8::/32'])).toBe(false);
  });

  it('never matches an empty list, an invalid address or an invalid entry', () => {
    expect(ipInCidrs('10.0.0.1', [])).toBe(false);
    expect(ipInCidrs('not-an-ip', ['0.0.0.0/0'])).toBe(false);
    expect(ipInCidrs('', ['0.0.0.0/0'])).toBe(false);
    expect(ipInCidrs('10.0.0.1', ['10.0.0.0/33', 'garbage', '10.0.0.0/8/8'])).toBe(false);
  });

  it('gives the same answers for a frozen (cached) list on repeated calls', () => {
    const cidrs = Object.freeze(['10.0.0.0/8']) as string[];
    expect(ipInCidrs('10.1.1.1', cidrs)).toBe(true);
    expect(ipInCidrs('10.1.1.1', cidrs)).toBe(true);
    expect(ipInCidrs('11.1.1.1', cidrs)).toBe(false);
  });

  it('sees changes to a list that is not frozen', () => {
    const cidrs = ['10.0.0.0/8'];
    expect(ipInCidrs('11.1.1.1', cidrs)).toBe(false);
    cidrs.push('11.0.0.0/8');
    expect(ipInCidrs('11.1.1.1', cidrs)).toBe(true);
  });
});
