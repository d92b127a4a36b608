import { isIP } from 'node:net';

/**
 * Numeric forms of IP addresses for range lookups. Only called with addresses `isIP` accepted,
 * so the parsing here does not re-validate.
 */

/** IPv4 dotted quad -> unsigned 32-bit number. */
export function ipv4ToNumber(ip: string): number {
  const [a = 0, b = 0, c = 0, d = 0] = ip.split('.').map(Number);
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

/** The embedded IPv4 address of an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`), else null. */
export function mappedIpv4(ip: string): string | null {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return match?.[1] !== undefined && isIP(match[1]) === 4 ? match[1] : null;
}

/** IPv6 address -> unsigned 128-bit BigInt. */
export function ipv6ToBigInt(ip: string): bigint {
  const withoutZone = ip.split('%')[0] ?? ip;
  // A dotted IPv4 tail (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) becomes two hex groups.
  const hexOnly = withoutZone.replace(
    /(\d+)\.(\d+)\.(\d+)\.(\d+)$/,
    (_m, a, b, c, d) => `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}`,
  );
  const [head = '', tail] = hexOnly.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  return value;
}
