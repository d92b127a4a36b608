import { BlockList, isIP } from 'node:net';

export interface Cidr {
  address: string;
  prefix: number;
  version: 4 | 6;
}

/** `a.b.c.d/n`, `x:y::/n`, or a bare address (a single host). Host bits may be set; they are ignored. */
export function parseCidr(text: string): Cidr | null {
  const [address = '', prefixText, extra] = text.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined || address.includes('%')) return null;
  const version = family === 4 ? 4 : 6;
  const bits = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: bits, version };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return null;
  return { address, prefix: Number(prefixText), version };
}

interface Matcher {
  v4: BlockList;
  v6: BlockList;
}

/** Matchers of registry lists, which are frozen: a frozen list cannot change under its cached matcher. */
const frozenListMatchers = new WeakMap<readonly string[], Matcher>();

/**
 * Whether `ip` is inside any of `cidrs`. An IPv4 address only matches IPv4 entries and an IPv6 address
 * IPv6 entries (so `::/0` does not swallow IPv4), except that an IPv4-mapped IPv6 address
 * (`::ffff:1.2.3.4`) also matches the IPv4 entries. Invalid IPs and invalid entries never match.
 */
export function ipInCidrs(ip: string, cidrs: readonly string[]): boolean {
  const version = isIP(ip);
  if (version === 0 || cidrs.length === 0) return false;
  const matcher = matcherFor(cidrs);
  if (version === 4) return matcher.v4.check(ip, 'ipv4');
  // BlockList checks an IPv6 address against IPv4 rules through its IPv4-mapped form only.
  return matcher.v6.check(ip, 'ipv6') || matcher.v4.check(ip, 'ipv6');
}

function matcherFor(cidrs: readonly string[]): Matcher {
  const cached = frozenListMatchers.get(cidrs);
  if (cached !== undefined) return cached;
  const matcher: Matcher = { v4: new BlockList(), v6: new BlockList() };
  for (const text of cidrs) {
    const cidr = parseCidr(text);
    if (cidr === null) continue;
    const type = cidr.version === 4 ? 'ipv4' : 'ipv6';
    (cidr.version === 4 ? matcher.v4 : matcher.v6).addSubnet(cidr.address, cidr.prefix, type);
  }
  if (Object.isFrozen(cidrs)) frozenListMatchers.set(cidrs, matcher);
  return matcher;
}
