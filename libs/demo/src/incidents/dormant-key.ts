import { attackerFor, describeNetwork } from '../attackers.ts';
import { AWS } from '../aws-actions.ts';
import { routineCall } from '../mixes.ts';
import type { Call, KeyProfile, Window } from '../model.ts';
import type { Rng } from '../rng.ts';
import { busyMoment, routineCalls } from '../routine.ts';
import type { Scenario } from '../scenario.ts';
import { addDays, DAY_MS, isoSeconds } from '../time.ts';
import { AttackScript, summarizeActions } from './attack-steps.ts';

/** The retired service ran for a week, and stopped at least this long before the window. */
const HISTORY_DAYS = 7;
const MIN_SILENT_DAYS_BEFORE_WINDOW = 30;
const MAX_SILENT_DAYS_BEFORE_WINDOW = 75;

/**
 * A key of a retired service (last used weeks before the window, never declared, never revoked) is used
 * again. Half the time a forgotten copy of the job comes back on its old host (a VM restored from a
 * snapshot, a cron nobody removed); otherwise someone who found the key in an old repository uses it
 * from abroad. Only the silence is the expected finding; network rules on the second kind are related.
 */
export const dormantKeyUsed: Scenario = {
  kind: 'dormant_key_used',
  detectors: ['dormant_key'],
  eligible: (key) => key.provider === 'aws' && !key.registered && key.rhythm !== 'ci',
  inject({ key, window, dayIndex, rng, routine }) {
    const moment = busyMoment(key, window, dayIndex, rng);
    if (moment === null) return null;
    const silentBefore = rng.int(MIN_SILENT_DAYS_BEFORE_WINDOW, MAX_SILENT_DAYS_BEFORE_WINDOW);
    const history = pastLife(key, window, silentBefore, rng);
    const lastUse = history.at(-1);
    if (lastUse === undefined) return null;
    // Drawn per story, not by ordinal: a small fleet has one such incident, and either way must show up.
    const restored = rng.chance(0.5);
    const attacker = restored ? null : attackerFor(key, 'abroad', rng);
    let calls: Call[];
    let how: string;
    if (attacker === null) {
      const n = rng.int(10, 40);
      calls = Array.from({ length: n }, () => routineCall(key, moment + rng.int(0, 30 * 60) * 1000, rng)).sort(
        (a, b) => a.ms - b.ms,
      );
      how = `from its old address ${calls[0]?.ip} with its old client: a forgotten copy of the job came back`;
    } else {
      const s = new AttackScript(key, moment, attacker.ip, key.userAgent, rng);
      s.aws(AWS.stsGetCallerIdentity, [0, 0]).aws(AWS.s3ListBuckets, [5, 60]).aws(AWS.s3ListObjects, [5, 60]);
      const reads = rng.int(5, 25);
      for (let i = 0; i < reads; i++) s.aws(AWS.s3GetObject, [1, 8]);
      calls = s.calls;
      how = `from ${describeNetwork(attacker.ip, attacker.network)}: someone found the key`;
    }
    // The service was retired: nothing of its everyday traffic remains in the window.
    routine.splice(0, routine.length);
    const idleDays = Math.floor(((calls[0]?.ms ?? moment) - lastUse.ms) / DAY_MS);
    return {
      calls,
      history,
      description:
        `Dormant key used: ${key.name} (${key.keyId}), silent since ${isoSeconds(lastUse.ms)} (${idleDays} days), ` +
        `made ${calls.length} calls at ${isoSeconds(calls[0]?.ms ?? moment)} ${how} (${summarizeActions(calls)}).`,
    };
  },
};

/** The key's everyday traffic over a week that ended `silentBefore` days before the window. */
function pastLife(key: KeyProfile, window: Window, silentBefore: number, rng: Rng): Call[] {
  const start = addDays(window.start, -(silentBefore + HISTORY_DAYS));
  const startMs = Date.UTC(start.year, start.month - 1, start.day);
  const past: Window = { start, startMs, endMs: startMs + HISTORY_DAYS * DAY_MS, days: HISTORY_DAYS };
  return routineCalls(key, past, rng);
}
