import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';

/**
 * The bot's NAT gateway is replaced: from one moment on it calls from a new address in the same /24.
 * A new IP, but not a new network.
 */
export const samePrefixMove: Scenario = {
  kind: 'new_ip_same_prefix',
  detectors: [],
  eligible: () => true,
  inject({ key, window, dayIndex, rng, routine }) {
    const from = busyMoment(key, window, dayIndex, rng);
    if (from === null) return null;
    const oldIp = rng.pick(key.ips);
    const prefix = oldIp.split('.').slice(0, 3).join('.');
    let newIp = oldIp;
    while (key.ips.includes(newIp)) newIp = `${prefix}.${rng.int(10, 250)}`;
    const moved = routine.filter((c) => c.ms >= from && c.ip === oldIp);
    if (moved.length === 0) return null;
    for (const c of moved) c.ip = newIp;
    return {
      calls: moved,
      description: `${key.name} (${key.keyId}) moved from ${oldIp} to ${newIp} (same /24) at ${isoSeconds(moved[0]?.ms ?? from)}: a replaced NAT gateway.`,
    };
  },
};
