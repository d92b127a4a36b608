import { attackerFor, describeNetwork } from '../attackers.ts';
import { AWS } from '../aws-actions.ts';
import type { Call } from '../model.ts';
import { LEARNING_DAYS } from '../plan.ts';
import type { Scenario } from '../scenario.ts';
import { DAY_MS, isoSeconds } from '../time.ts';
import { AttackScript, summarizeActions } from './attack-steps.ts';

/** The key is silent at least this long before it wakes up. */
const MIN_SILENT_DAYS = 10;
const MAX_SILENT_DAYS = 16;

/**
 * An abandoned daily key: a job that ran every day is switched off (its key never revoked) and, 10-16
 * days later, the key wakes up from somewhere else: someone found it in an old repository, a backup, a
 * laptop. Recon and reads from a network the key never used. The silence, far longer than any gap of a
 * daily key, is the expected finding; the network rules that also fire are related.
 */
export const abandonedKeyWoken: Scenario = {
  kind: 'abandoned_key_woken',
  detectors: ['dormant_key'],
  eligible: (key, window) =>
    key.provider === 'aws' &&
    (key.rhythm === 'always-on' || key.rhythm === 'nightly') &&
    key.traits.volume === 'normal' &&
    window.days >= LEARNING_DAYS + MIN_SILENT_DAYS + 1,
  inject({ key, window, dayIndex, rng, routine }) {
    const silent = rng.int(MIN_SILENT_DAYS, MAX_SILENT_DAYS);
    const lastDay = dayIndex - silent;
    // It ran every day for at least the learning days before it was switched off.
    if (lastDay < LEARNING_DAYS - 1) return null;
    const switchedOff = window.startMs + (lastDay + 1) * DAY_MS;
    const lastUse = routine.filter((c) => c.ms < switchedOff).at(-1);
    if (lastUse === undefined) return null;
    const where = rng.chance(0.6) ? 'abroad' : 'same-country';
    const attacker = attackerFor(key, where, rng) ?? attackerFor(key, 'abroad', rng);
    if (attacker === null) return null;
    const start = window.startMs + dayIndex * DAY_MS + rng.int(0, 23 * 60) * 60_000;
    const userAgent = rng.chance(0.5) ? key.userAgent : 'python-requests/2.31.0';
    const s = new AttackScript(key, start, attacker.ip, userAgent, rng);
    s.aws(AWS.stsGetCallerIdentity, [0, 0]).aws(AWS.s3ListBuckets, [5, 60]).aws(AWS.s3ListObjects, [5, 60]);
    const reads = rng.int(5, 30);
    for (let i = 0; i < reads; i++) s.aws(AWS.s3GetObject, [1, 8]);
    // The job was switched off: none of its everyday traffic after that.
    const kept: Call[] = routine.filter((c) => c.ms < switchedOff);
    routine.splice(0, routine.length, ...kept);
    const idleDays = Math.floor(((s.calls[0]?.ms ?? start) - lastUse.ms) / DAY_MS);
    return {
      calls: s.calls,
      description:
        `Abandoned daily key woken: ${key.name} (${key.keyId}) ran every day until ${isoSeconds(lastUse.ms)}, was silent ${idleDays} days, ` +
        `then called from ${describeNetwork(attacker.ip, attacker.network)} with "${userAgent.split(' ')[0]}" at ${isoSeconds(start)} ` +
        `(${summarizeActions(s.calls)}).`,
    };
  },
};
