import { attackerFor, attackerNetworks, describeNetwork } from '../attackers.ts';
import { AWS } from '../aws-actions.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';
import { AttackScript, summarizeActions } from './attack-steps.ts';

/**
 * A careful attacker: a VPS in the key's own country and the bot's own user agent, so only the network
 * operator (ASN) and the address give it away.
 */
export const stolenKeySameCountry: Scenario = {
  kind: 'stolen_key_cloud_same_country',
  // The broadest network finding: a new operator implies a new address (ADR 0002).
  detectors: ['new_asn'],
  eligible: (key) =>
    key.provider === 'aws' && !(key.registered && key.scope === 'read-only') && attackerNetworks(key, 'same-country').length > 0,
  inject({ key, window, dayIndex, rng }) {
    const start = busyMoment(key, window, dayIndex, rng);
    const attacker = attackerFor(key, 'same-country', rng);
    if (start === null || attacker === null) return null;
    const s = new AttackScript(key, start, attacker.ip, key.userAgent, rng);
    s.aws(AWS.stsGetCallerIdentity, [0, 0]).aws(AWS.s3ListBuckets, [5, 30]).aws(AWS.s3ListObjects, [5, 30]);
    const reads = rng.int(15, 50);
    for (let i = 0; i < reads; i++) s.aws(AWS.s3GetObject, [1, 6]);
    s.aws(AWS.secretsGetSecretValue, [10, 60]);
    return {
      calls: s.calls,
      description:
        `Stolen key used from a VPS in its own country: ${key.name} (${key.keyId}) called from ` +
        `${describeNetwork(attacker.ip, attacker.network)} with the bot's own user agent at ${isoSeconds(start)} ` +
        `(${summarizeActions(s.calls)}). It normally runs from ${key.network.label} (${key.network.country}, AS${key.network.asn}).`,
    };
  },
};
