import type { KeyProfile } from './model.ts';
import { ATTACKER_NETWORKS, type Network } from './networks.ts';
import type { Rng } from './rng.ts';

export interface Attacker {
  network: Network;
  ip: string;
}

/**
 * An attacker address: `abroad` picks a network in another country than the key's home; otherwise a
 * cloud/VPS network in the same country but another operator (ASN) than the key's.
 */
export function attackerFor(key: KeyProfile, where: 'abroad' | 'same-country', rng: Rng): Attacker | null {
  const candidates = attackerNetworks(key, where);
  if (candidates.length === 0) return null;
  const network = rng.pick(candidates);
  return { network, ip: `${rng.pick(network.prefixes)}.${rng.int(2, 253)}` };
}

export function describeNetwork(ip: string, n: Network): string {
  return `${ip} (${n.country}, ${n.label}, AS${n.asn})`;
}

export function attackerNetworks(key: KeyProfile, where: 'abroad' | 'same-country'): Network[] {
  const home = key.network;
  const homes = [home, ...(key.secondHome === null ? [] : [key.secondHome.network])];
  return ATTACKER_NETWORKS.filter((n) =>
    where === 'abroad'
      ? homes.every((h) => n.country !== h.country)
      : n.country === home.country && homes.every((h) => n.asn !== h.asn),
  );
}
