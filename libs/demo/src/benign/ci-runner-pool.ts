import type { Call } from '../model.ts';
import { GITHUB_RUNNERS } from '../networks.ts';
import type { Rng } from '../rng.ts';
import type { Scenario } from '../scenario.ts';
import { isoSeconds, MINUTE_MS } from '../time.ts';

/** Calls further apart than this belong to different pipeline runs. */
const RUN_GAP_MS = 10 * MINUTE_MS;

/**
 * The pipeline runs on GitHub-hosted runners: every job gets a fresh Azure VM, so every run calls from an
 * address (and usually a /24) the key has never used, all in one operator (AS8075). That is the key's
 * normal life from the first day, so the label covers all of its calls.
 */
export const ciRunnerPool: Scenario = {
  kind: 'ci_runner_pool',
  detectors: [],
  eligible: (key) => key.rhythm === 'ci',
  inject({ key, rng, routine }) {
    const all = runs(routine);
    if (all.length === 0) return null;
    for (const run of all) {
      const ip = runnerAddress(rng);
      for (const c of run) c.ip = ip;
    }
    const addresses = new Set(routine.map((c) => c.ip)).size;
    return {
      calls: [...routine],
      description: `${key.name} (${key.keyId}) deploys from ${GITHUB_RUNNERS.label}: its ${all.length} runs came from ${addresses} different addresses, starting ${isoSeconds(all[0]?.[0]?.ms ?? 0)}.`,
    };
  },
};

function runs(calls: Call[]): Call[][] {
  const out: Call[][] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const c of [...calls].sort((a, b) => a.ms - b.ms)) {
    if (c.ms - last > RUN_GAP_MS || out.length === 0) out.push([]);
    out[out.length - 1]?.push(c);
    last = c.ms;
  }
  return out;
}

function runnerAddress(rng: Rng): string {
  return `${rng.pick(GITHUB_RUNNERS.prefixes)}.${rng.int(1, 254)}`;
}
