import type { Rng } from '../rng.ts';
import { busyMoment } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds } from '../time.ts';

/** `product/1.2.3` at the start of a user agent. */
const LEADING_VERSION = /^[^\s/]+\/(\d+)\.(\d+)\.(\d+)/;

/** The same client a release or two later: every occurrence of its version bumped (Boto3 repeats it for Botocore). */
export function upgradedUserAgent(userAgent: string, rng: Rng): string | null {
  const m = LEADING_VERSION.exec(userAgent);
  if (m === null) return null;
  const [, major, minor] = m;
  const version = `${m[1]}.${m[2]}.${m[3]}`;
  const next = `${major}.${Number(minor) + rng.int(1, 2)}.${rng.int(0, 20)}`;
  return userAgent.split(version).join(next);
}

/**
 * A dependency update ships a newer SDK: from one deployment on, the bot's user agent carries a new
 * version of the same client. Nothing else changes.
 */
export const sdkUpgrade: Scenario = {
  kind: 'sdk_upgrade',
  detectors: [],
  eligible: (key) => LEADING_VERSION.test(key.userAgent),
  inject({ key, window, dayIndex, rng, routine }) {
    const from = busyMoment(key, window, dayIndex, rng);
    const upgraded = upgradedUserAgent(key.userAgent, rng);
    if (from === null || upgraded === null) return null;
    const after = routine.filter((c) => c.ms >= from && c.userAgent === key.userAgent);
    if (after.length === 0) return null;
    for (const c of after) c.userAgent = upgraded;
    return {
      calls: after,
      description: `${key.name} (${key.keyId}) upgraded its client at ${isoSeconds(after[0]?.ms ?? from)}: "${key.userAgent.split(' ')[0]}" → "${upgraded.split(' ')[0]}".`,
    };
  },
};
