import { describe, expect, it } from 'vitest';
import { countLines, forEachAsnRow } from '../src/asn-csv.ts';
import { Ipv4AsnTable, Ipv6AsnTable } from '../src/asn-table.ts';
import { ipv4ToNumber, ipv6ToBigInt } from '../src/ip-number.ts';

const V4_CSV = [
  '16777216,16777471,13335,"Cloudflare, Inc."',
  '16778240,16779263,38803,Gtelecom Pty Ltd',
  '35309568,35313663,201907,"LLC ""SPUTNIK"""',
  '4294967040,4294967295,4294967294,Last Range',
].join('\r\n');

describe('forEachAsnRow', () => {
  it('unquotes organisation names, including doubled quotes, and tolerates CRLF', () => {
    const orgs: string[] = [];
    forEachAsnRow(V4_CSV, 'v4.csv', (row) => orgs.push(row.org));
    expect(orgs).toEqual(['Cloudflare, Inc.', 'Gtelecom Pty Ltd', 'LLC "SPUTNIK"', 'Last Range']);
  });

  it('names the file and line of a malformed row', () => {
    expect(() => forEachAsnRow('1,2,3,ok\n1,2,x,bad\n', 'v4.csv', () => {})).toThrow('v4.csv:2: malformed ASN row');
    expect(() => forEachAsnRow('1.0.0.0,2,3,ip not number\n', 'v4.csv', () => {})).toThrow('v4.csv:1: malformed ASN row');
  });

  it('counts lines with or without a final newline', () => {
    expect(countLines('a\nb\n')).toBe(2);
    expect(countLines('a\nb')).toBe(2);
    expect(countLines('')).toBe(0);
  });
});

describe('Ipv4AsnTable', () => {
  const table = new Ipv4AsnTable(V4_CSV, 'v4.csv');

  it('finds the range holding an address, bounds inclusive', () => {
    expect(table.lookup(ipv4ToNumber('1.0.0.0'))).toEqual({ asn: 13335, org: 'Cloudflare, Inc.' });
    expect(table.lookup(ipv4ToNumber('1.0.0.255'))).toEqual({ asn: 13335, org: 'Cloudflare, Inc.' });
    expect(table.lookup(ipv4ToNumber('255.255.255.255'))).toEqual({ asn: 4294967294, org: 'Last Range' });
  });

  it('returns null in gaps, before the first and after the last range', () => {
    expect(table.lookup(ipv4ToNumber('1.0.1.0'))).toBeNull();
    expect(table.lookup(ipv4ToNumber('0.255.255.255'))).toBeNull();
    expect(table.lookup(ipv4ToNumber('100.0.0.0'))).toBeNull();
  });

  it('refuses ranges out of order, naming the line', () => {
    expect(() => new Ipv4AsnTable('200,300,1,a\n100,150,2,b\n', 'v4.csv')).toThrow('v4.csv:2: ASN ranges must be sorted');
  });

  it('is empty-safe', () => {
    expect(new Ipv4AsnTable('', 'empty.csv').lookup(1)).toBeNull();
  });
});

describe('Ipv6AsnTable', () => {
  // 2001:4860::/32 and a range whose bounds differ only in the low 64 bits: both halves must be compared.
  const V6_CSV = [
    `${ipv6ToBigInt('2001:4860::')},${ipv6ToBigInt('2001:4860:ffff:ffff:ffff:ffff:ffff:ffff')},15169,Google LLC`,
    `${ipv6ToBigInt('2a01:4f8::')},${ipv6ToBigInt('2a01:4f8::ffff')},24940,Hetzner Online GmbH`,
  ].join('\n');
  const table = new Ipv6AsnTable(V6_CSV, 'v6.csv');

  it('finds the range holding an address', () => {
    expect(table.lookup(ipv6ToBigInt('2001:4860:4860::8888'))).toEqual({ asn: 15169, org: 'Google LLC' });
    expect(table.lookup(ipv6ToBigInt('2a01:4f8::ffff'))).toEqual({ asn: 24940, org: 'Hetzner Online GmbH' });
  });

  it('compares the low 64 bits when the high halves are equal', () => {
    expect(table.lookup(ipv6ToBigInt('2a01:4f8::1:0'))).toBeNull();
  });

  it('refuses ranges out of order, comparing both halves', () => {
    const outOfOrder = [
      `${ipv6ToBigInt('2a01::5')},${ipv6ToBigInt('2a01::6')},1,a`,
      `${ipv6ToBigInt('2a01::1')},${ipv6ToBigInt('2a01::2')},2,b`,
    ];
    expect(() => new Ipv6AsnTable(outOfOrder.join('\n'), 'v6.csv')).toThrow('v6.csv:2: ASN ranges must be sorted');
  });

  it('returns null outside every range', () => {
    expect(table.lookup(ipv6ToBigInt('::'))).toBeNull();
    expect(table.lookup(ipv6ToBigInt('2001:4861::'))).toBeNull();
    expect(table.lookup(ipv6ToBigInt('ffff::1'))).toBeNull();
  });
});
