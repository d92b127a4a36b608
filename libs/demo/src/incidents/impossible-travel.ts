import { describeNetwork } from '../attackers.ts';
import { routineCall } from '../mixes.ts';
import type { Call } from '../model.ts';
import { ATTACKER_NETWORKS } from '../networks.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds, MINUTE_MS } from '../time.ts';
import { summarizeActions } from './attack-steps.ts';

/** Home ISPs abroad with city-level geolocation: where a copied script is run from someone's flat. */
const REMOTE_ISPS = ATTACKER_NETWORKS.filter((n) => n.physical === true);

/**
 * A key used by a script from an office ISP (a physical place) is, minutes after its last office call,
 * used with the same script from a home ISP thousands of km away: someone copied the script and its key.
 * Ordinary reads, the key's own client: only the distance in the time gives it away.
 */
export const impossibleTravel: Scenario = {
  kind: 'impossible_travel',
  detectors: ['impossible_travel'],
  eligible: (key) =>
    key.provider === 'aws' && key.network.physical === true && REMOTE_ISPS.some((n) => n.country !== key.network.country),
  inject({ key, window, dayIndex, rng, routine }) {
    const moment = busyMoment(key, window, dayIndex, rng);
    if (moment === null) return null;
    // The travel is measured from the key's last call at home, which must be recent.
    const lastHome = routine.filter((c) => c.ms <= moment).at(-1);
    if (lastHome === undefined || moment - lastHome.ms > 60 * MINUTE_MS) return null;
    const network = rng.pick(REMOTE_ISPS.filter((n) => n.country !== key.network.country));
    const ip = `${rng.pick(network.prefixes)}.${rng.int(2, 253)}`;
    const start = lastHome.ms + rng.int(3, 50) * MINUTE_MS;
    const n = rng.int(5, 20);
    const calls: Call[] = [];
    for (let i = 0; i < n; i++) {
      const call = routineCall(key, start + rng.int(0, 20 * 60) * 1000, rng);
      call.ip = ip;
      call.error = null;
      calls.push(call);
    }
    calls.sort((a, b) => a.ms - b.ms);
    const minutes = Math.round(((calls[0]?.ms ?? start) - lastHome.ms) / MINUTE_MS);
    return {
      calls,
      description:
        `Impossible travel: ${key.name} (${key.keyId}) called from ${key.network.label} (${lastHome.ip}) at ${isoSeconds(lastHome.ms)}, ` +
        `then ${minutes} minutes later from ${describeNetwork(ip, network)} with its own client (${summarizeActions(calls)}).`,
    };
  },
};
