import { isIP } from 'node:net';

/** True for a syntactically valid IPv4 or IPv6 address (strict: `06.1.2.3` is not one). */
export function isIp(value: string): boolean {
  return isIP(value) !== 0;
}

/**
 * The network a key "lives in" at a finer grain than its ASN: the /24 of an IPv4 address or the /48 of
 * an IPv6 one. A new IP inside a known prefix is far less suspicious than a new network.
 */
export function ipPrefix(ip: string): string | null {
  const v = isIP(ip);
  if (v === 4) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  if (v === 6) {
    const groups = expandIpv6(ip);
    return groups === null ? null : `${groups.slice(0, 3).join(':')}::/48`;
  }
  return null;
}

function expandIpv6(ip: string): string[] | null {
  const noZone = ip.split('%')[0] ?? ip;
  // IPv4-mapped tail (::ffff:1.2.3.4) becomes two hex groups.
  const withHexTail = noZone.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    [((+a << 8) | +b).toString(16), ((+c << 8) | +d).toString(16)].join(':'),
  );
  const [head = '', tail] = withHexTail.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  if (fill < 0) return null;
  return [...h, ...Array<string>(fill).fill('0'), ...t].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}
