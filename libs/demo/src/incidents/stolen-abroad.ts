import { attackerFor, describeNetwork } from '../attackers.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';
import { ATTACKER_USER_AGENTS } from '../user-agents.ts';
import { AttackScript, awsEndgame, awsRecon, endgameFor, githubTheft, summarizeActions } from './attack-steps.ts';

/** A leaked key used from another country: a network, operator and country the key has never used. */
export const stolenKeyAbroad: Scenario = {
  kind: 'stolen_key_abroad',
  // keywatch reports only the broadest network finding of an event (new_country › new_asn › new_ip; ADR 0002).
  detectors: ['new_country'],
  // A read-only key writing would add write_on_read_only to the story; keep each story's rule set exact.
  eligible: (key) => !(key.registered && key.scope === 'read-only'),
  inject({ key, window, dayIndex, rng }) {
    const start = busyMoment(key, window, dayIndex, rng);
    const attacker = attackerFor(key, 'abroad', rng);
    if (start === null || attacker === null) return null;
    // Most attackers use their own tooling; a careful one copies the bot's user agent.
    const tools = key.provider === 'github' ? ['python-requests/2.31.0', 'curl/8.5.0'] : ATTACKER_USER_AGENTS;
    const userAgent = rng.chance(0.25) ? key.userAgent : rng.pick(tools);
    const s = new AttackScript(key, start, attacker.ip, userAgent, rng);
    let story: string;
    if (key.provider === 'github') {
      githubTheft(s);
      story = 'looked for secrets and downloaded every repository';
    } else {
      const endgame = endgameFor(key, rng);
      awsRecon(s);
      awsEndgame(s, endgame);
      story = `reconnaissance, then ${endgame}`;
    }
    return {
      calls: s.calls,
      description:
        `Stolen key used from abroad: ${key.name} (${key.keyId}) called from ${describeNetwork(attacker.ip, attacker.network)} ` +
        `with "${userAgent.split(' ')[0]}" at ${isoSeconds(start)}: ${story} (${summarizeActions(s.calls)}). ` +
        `It normally runs from ${key.network.label} (${key.network.country}).`,
    };
  },
};
