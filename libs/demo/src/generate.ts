import { drawBehaviour } from './behaviour.ts';
import { applyBehaviours } from './behaviours.ts';
import { buildFleet } from './fleet.ts';
import type { Call, KeyProfile, Window } from './model.ts';
import { resolveOptions } from './options.ts';
import { candidateDays, planScenarios } from './plan.ts';
import { buildRegistry } from './registry.ts';
import { renderCloudTrail } from './render-cloudtrail.ts';
import { renderGithub } from './render-github.ts';
import { Rng } from './rng.ts';
import { routineCalls } from './routine.ts';
import type { Scenario } from './scenario.ts';
import { DAY_MS, isoSeconds, parseDate } from './time.ts';
import type { BenignLabel, DemoDataset, DemoOptions, Incident } from './types.ts';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

interface Story {
  scenario: Scenario;
  key: KeyProfile;
  calls: Call[];
  description: string;
}

/**
 * A multi-day audit-log dataset of a bot fleet with labelled incidents and benign confounders.
 * Deterministic: the same options give the same records, byte for byte.
 */
export function generateDemo(options?: Partial<DemoOptions>): DemoDataset {
  const o = resolveOptions(options);
  const rng = new Rng(o.seed);
  const start = parseDate(o.start);
  const startMs = Date.UTC(start.year, start.month - 1, start.day);
  const window: Window = { start, startMs, endMs: startMs + o.days * DAY_MS, days: o.days };

  const behaviour = drawBehaviour(rng.fork('behaviour'));
  const fleet = buildFleet(o.keys, start, o.days, behaviour, rng.fork('fleet'));
  const traffic = new Map(
    fleet.map((k) => {
      const r = rng.fork(`routine:${k.index}`);
      return [k, applyBehaviours(k, routineCalls(k, window, r), window, r.fork('behaviours'))];
    }),
  );
  const stories = injectStories(fleet, window, traffic, rng.fork('stories'));

  const all = fleet.flatMap((k) => traffic.get(k) ?? []).sort((a, b) => a.ms - b.ms);
  const { records, ids } = render(all, rng.fork('render'));

  const eventIds = (s: Story) => s.calls.map((c) => ids.get(c) as string);
  const incidents: Incident[] = stories
    .filter((s) => s.scenario.detectors.length > 0)
    .sort((a, b) => span(a).first - span(b).first)
    .map((s, i) => ({
      id: `INC-${String(i + 1).padStart(2, '0')}`,
      kind: s.scenario.kind,
      keyId: s.key.keyId,
      detectors: [...s.scenario.detectors],
      eventIds: eventIds(s),
      start: isoSeconds(span(s).first),
      end: isoSeconds(span(s).last),
      description: s.description,
    }));
  const inStory = new Set(stories.flatMap((s) => s.calls));
  const benignLabels: BenignLabel[] = [
    ...stories
      .filter((s) => s.scenario.detectors.length === 0)
      .map((s) => ({ kind: s.scenario.kind, keyId: s.key.keyId, eventIds: eventIds(s), description: s.description })),
    ...behaviourLabels(
      all.filter((c) => !inStory.has(c)),
      ids,
    ),
  ];

  return { records, incidents, registry: buildRegistry(fleet), keyDays: o.keys * o.days, benignLabels, behaviour };
}

/** One label per (key, behaviour): the calls of the fleet's background behaviours, for the scoring. */
function behaviourLabels(calls: Call[], ids: Map<Call, string>): BenignLabel[] {
  const groups = new Map<string, { key: KeyProfile; kind: string; calls: Call[] }>();
  for (const c of calls) {
    if (c.behaviour === undefined) continue;
    const id = `${c.key.index}\u0000${c.behaviour}`;
    const g = groups.get(id) ?? { key: c.key, kind: c.behaviour, calls: [] };
    g.calls.push(c);
    groups.set(id, g);
  }
  return [...groups.values()].map((g) => ({
    kind: g.kind,
    keyId: g.key.keyId,
    eventIds: g.calls.map((c) => ids.get(c) as string),
    description: `${g.key.name} (${g.key.keyId}, ${g.key.timezone}): ${g.calls.length} calls showing ${g.kind.replaceAll('_', ' ')} (${BEHAVIOUR_NOTES[g.kind] ?? 'a benign fleet behaviour'}), ${isoSeconds(g.calls[0]?.ms ?? 0)} to ${isoSeconds(g.calls.at(-1)?.ms ?? 0)}.`,
  }));
}

const BEHAVIOUR_NOTES: Record<string, string> = {
  late_finish: 'work running past the usual end of the day',
  weekend_on_call: 'the on-call engineer on a weekend afternoon, usual host and client',
  multi_region: 'the same workload running in a second cloud region',
  sts_session_token: 'sts:AssumeRole / GetFederationToken with the session token CloudTrail logs',
  idempotency_token: 'writes carrying clientRequestToken idempotency UUIDs',
  pagination_token: 'listings paged with nextToken / continuation-token',
  returns_after_pause: 'back from a 10-20 day pause, usual host and client',
  sdk_upgrade: 'a newer version of the same SDK',
};

function span(s: Story): { first: number; last: number } {
  return s.calls.reduce((acc, c) => ({ first: Math.min(acc.first, c.ms), last: Math.max(acc.last, c.ms) }), {
    first: Number.POSITIVE_INFINITY,
    last: Number.NEGATIVE_INFINITY,
  });
}

/** Places every planned story on its key, adding its calls to the key's traffic. */
function injectStories(fleet: KeyProfile[], window: Window, traffic: Map<KeyProfile, Call[]>, rng: Rng): Story[] {
  const stories: Story[] = [];
  const ordinals = new Map<string, number>();
  for (const [i, p] of planScenarios(fleet, window, rng.fork('plan')).entries()) {
    const routine = traffic.get(p.key) ?? [];
    const storyRng = rng.fork(`story:${i}`);
    const ordinal = ordinals.get(p.scenario.kind) ?? 0;
    for (const dayIndex of candidateDays(p.dayIndex, window.days)) {
      const result = p.scenario.inject({ key: p.key, window, dayIndex, rng: storyRng, ordinal, routine });
      if (result === null) continue;
      const inRoutine = new Set(routine);
      const calls = result.calls.filter((c) => c.ms >= window.startMs && c.ms < window.endMs);
      if (calls.length === 0) continue;
      const added = [...calls, ...(result.untaggedCalls ?? [])].filter(
        (c) => !inRoutine.has(c) && c.ms >= window.startMs && c.ms < window.endMs,
      );
      routine.push(...added, ...(result.history ?? []).filter((c) => c.ms < window.startMs));
      if (result.created !== undefined) p.key.created = result.created;
      stories.push({ scenario: p.scenario, key: p.key, calls, description: result.description });
      ordinals.set(p.scenario.kind, ordinal + 1);
      break;
    }
  }
  return stories;
}

/** Renders calls (already in time order) to provider records, drawing event ids in that order. */
function render(calls: Call[], rng: Rng): { records: unknown[]; ids: Map<Call, string> } {
  const ids = new Map<Call, string>();
  const records = calls.map((call) => {
    if (call.action.provider === 'aws') {
      const id = rng.uuid();
      ids.set(call, id);
      return renderCloudTrail(call, call.action, id, rng);
    }
    // 16 random bytes in base64: the last character before the padding carries only 2 bits.
    const id = `${rng.chars(BASE64, 21)}${rng.pick(['A', 'Q', 'g', 'w'])}==`;
    ids.set(call, id);
    return renderGithub(call, call.action, id, rng);
  });
  return { records, ids };
}
