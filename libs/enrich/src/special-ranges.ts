import { BlockList } from 'node:net';

/**
 * Addresses that never leave a private network (RFC 1918, loopback, link-local, CGNAT, ULA).
 * A call from one means the log saw an internal hop, so there is no geography or ASN to speak of.
 * BlockList also matches IPv4-mapped IPv6 forms (`::ffff:10.0.0.1`) against the IPv4 rules.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['100.64.0.0', 10],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['fc00::', 7],
  ['fe80::', 10],
  ['::1', 128],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** True for a private, loopback, link-local or CGNAT address. `version` is what `isIP` returned. */
export function isPrivateAddress(ip: string, version: 4 | 6): boolean {
  return PRIVATE.check(ip, version === 4 ? 'ipv4' : 'ipv6');
}
