import type { KeyProfile } from '../model.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';

function prefixOf(ip: string): string {
  return ip.split('.').slice(0, 3).join('.');
}

/** /24s of the key's own cloud region it has not used yet. */
function freshPrefixes(key: KeyProfile): string[] {
  const used = new Set(key.ips.map(prefixOf));
  return key.network.prefixes.filter((p) => !used.has(p));
}

/**
 * The bot is redeployed (new NAT gateways, new Elastic IPs) and calls from then on from new addresses in
 * other /24s of the same cloud region and operator (ASN). Same provider, same country, same client.
 */
export const redeployNewCloudIps: Scenario = {
  kind: 'redeploy_new_cloud_ips',
  detectors: [],
  eligible: (key) =>
    key.network.physical !== true &&
    !key.network.id.startsWith('office') &&
    key.secondHome === null &&
    freshPrefixes(key).length > 0,
  inject({ key, window, dayIndex, rng, routine }) {
    const from = busyMoment(key, window, dayIndex, rng);
    if (from === null) return null;
    const prefixes = rng.shuffle(freshPrefixes(key));
    const next = new Map(key.ips.map((ip, i) => [ip, `${prefixes[i % prefixes.length]}.${rng.int(10, 250)}`]));
    const moved = routine.filter((c) => c.ms >= from);
    if (moved.length === 0) return null;
    for (const c of moved) c.ip = next.get(c.ip) ?? c.ip;
    const pairs = [...next].map(([a, b]) => `${a} → ${b}`).join(', ');
    return {
      calls: moved,
      description: `${key.name} (${key.keyId}) was redeployed at ${isoSeconds(moved[0]?.ms ?? from)} and calls from new addresses in ${key.network.label} (AS${key.network.asn}): ${pairs}.`,
    };
  },
};
