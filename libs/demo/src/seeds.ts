import type { Evaluation } from './types.ts';

/** The goals of issue 8, which every seed must meet: the worst seed, not the average, decides. */
export const EVAL_GOALS = Object.freeze({ minF1: 0.95, maxFalseAlertsPer1000KeyDays: 1 });

/** Most seeds one `--seeds` list may name: each seed is a full dataset run through keywatch. */
const MAX_SEEDS = 1000;

/**
 * Seeds from a list such as `1-10`, `3,7,42` or `1-5,9`: integers and inclusive ranges, comma separated,
 * each seed once, in the order given.
 */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(-?\d+)(?:-(-?\d+))?$/.exec(part);
    if (m === null) throw new Error(`seeds: expected integers or ranges like 1-10, comma separated; got ${JSON.stringify(part)}`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`seeds: range ${part} runs backwards`);
    if (to - from + 1 + seeds.length > MAX_SEEDS)
      throw new Error(`seeds: at most ${MAX_SEEDS} seeds, got more in ${JSON.stringify(text)}`);
    for (let s = from; s <= to; s++) if (!seeds.includes(s)) seeds.push(s);
  }
  return seeds;
}

/** One seed's dataset scored: the numbers `keywatch demo --eval` prints per seed. */
export interface SeedResult {
  seed: number;
  keys: number;
  days: number;
  keyDays: number;
  records: number;
  alerts: number;
  truePositives: number;
  falsePositives: number;
  /** (incident, expected detector) pairs, and how many a true-positive alert covered. */
  expectedPairs: number;
  foundPairs: number;
  precision: number;
  recall: number;
  f1: number;
  falseAlertsPer1000KeyDays: number;
  /** Per incident kind: how many were injected and how many at least one expected rule found. */
  incidentsByKind: Record<string, { incidents: number; detected: number }>;
  /** Per benign behaviour kind: alerts whose evidence cites its events. */
  alertsOnConfounders: Record<string, number>;
  /** False alerts per rule id. */
  falseAlertsByRule: Record<string, number>;
  seconds: number;
}

export function seedResult(
  seed: number,
  shape: { keys: number; days: number; keyDays: number; records: number },
  e: Evaluation,
  seconds: number,
): SeedResult {
  const falseAlertsByRule: Record<string, number> = {};
  for (const f of e.falseAlerts) falseAlertsByRule[f.ruleId] = (falseAlertsByRule[f.ruleId] ?? 0) + 1;
  return {
    seed,
    ...shape,
    alerts: e.alerts,
    truePositives: e.overall.tp,
    falsePositives: e.overall.fp,
    expectedPairs: e.expectedPairs,
    foundPairs: e.foundPairs,
    precision: e.overall.precision,
    recall: e.overall.recall,
    f1: e.overall.f1,
    falseAlertsPer1000KeyDays: e.falseAlertsPer1000KeyDays,
    incidentsByKind: e.incidentsByKind,
    alertsOnConfounders: e.alertsOnConfounders,
    falseAlertsByRule,
    seconds,
  };
}

/** Several seeds together: each one, the worst one, all of them pooled, and whether the goals hold. */
export interface SeedsSummary {
  seeds: SeedResult[];
  /** The seed with the lowest F1 (ties: the most false alerts per 1,000 key-days). */
  worst: SeedResult;
  /** All seeds as one evaluation: alerts and pairs summed, rates over all key-days. */
  pooled: { keyDays: number; precision: number; recall: number; f1: number; falseAlertsPer1000KeyDays: number };
  goals: typeof EVAL_GOALS;
  /** Per seed, the goals it misses (empty when it meets them all). */
  misses: Record<number, string[]>;
  meetsGoals: boolean;
}

export function summarizeSeeds(seeds: SeedResult[]): SeedsSummary {
  const first = seeds[0];
  if (first === undefined) throw new Error('summarizeSeeds: no seeds');
  const worst = seeds.reduce((w, s) =>
    s.f1 < w.f1 || (s.f1 === w.f1 && s.falseAlertsPer1000KeyDays > w.falseAlertsPer1000KeyDays) ? s : w,
  );
  const sum = (f: (s: SeedResult) => number) => seeds.reduce((n, s) => n + f(s), 0);
  const tp = sum((s) => s.truePositives);
  const fp = sum((s) => s.falsePositives);
  const expected = sum((s) => s.expectedPairs);
  const keyDays = sum((s) => s.keyDays);
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = expected === 0 ? 1 : sum((s) => s.foundPairs) / expected;
  const misses: Record<number, string[]> = {};
  for (const s of seeds) misses[s.seed] = goalMisses(s);
  return {
    seeds,
    worst,
    pooled: {
      keyDays,
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
      falseAlertsPer1000KeyDays: keyDays > 0 ? (fp / keyDays) * 1000 : 0,
    },
    goals: EVAL_GOALS,
    misses,
    meetsGoals: Object.values(misses).every((m) => m.length === 0),
  };
}

function goalMisses(s: SeedResult): string[] {
  const out: string[] = [];
  if (s.f1 < EVAL_GOALS.minF1) out.push(`F1 ${pct(s.f1)} < ${pct(EVAL_GOALS.minF1)}`);
  if (s.falseAlertsPer1000KeyDays > EVAL_GOALS.maxFalseAlertsPer1000KeyDays)
    out.push(
      `${s.falseAlertsPer1000KeyDays.toFixed(2)} false alerts per 1000 key-days > ${EVAL_GOALS.maxFalseAlertsPer1000KeyDays}`,
    );
  const undetected = Object.entries(s.incidentsByKind).filter(([, k]) => k.incidents > 0 && k.detected === 0);
  if (undetected.length > 0) out.push(`no ${undetected.map(([kind]) => kind).join(', ')} detected`);
  return out;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** The per-seed table `keywatch demo --eval` prints, then the worst seed, the pooled numbers and the goals. */
export function formatSeeds(summary: SeedsSummary): string {
  const kinds = [...new Set(summary.seeds.flatMap((s) => Object.keys(s.incidentsByKind)))].sort();
  const header = ['seed', 'key-days', 'alerts', 'TP', 'FP', 'precision', 'recall', 'F1', 'FA/1000kd'];
  const row = (s: SeedResult) => [
    String(s.seed),
    String(s.keyDays),
    String(s.alerts),
    String(s.truePositives),
    String(s.falsePositives),
    pct(s.precision),
    pct(s.recall),
    pct(s.f1),
    s.falseAlertsPer1000KeyDays.toFixed(2),
  ];
  const out = [...table(header, summary.seeds.map(row)), ''];

  // One row per name, one column per seed.
  const perSeed = (title: string, first: string, names: string[], cell: (s: SeedResult, name: string) => string) => {
    if (names.length === 0) return;
    const seeds = summary.seeds;
    out.push(
      title,
      ...table(
        [first, ...seeds.map((s) => String(s.seed))],
        names.map((n) => [n, ...seeds.map((s) => cell(s, n))]),
      ),
      '',
    );
  };
  perSeed('incidents detected per type (detected/injected, per seed):', 'type', kinds, (s, kind) => {
    const k = s.incidentsByKind[kind];
    return k === undefined ? '-' : `${k.detected}/${k.incidents}`;
  });
  const confounders = [...new Set(summary.seeds.flatMap((s) => Object.keys(s.alertsOnConfounders)))].sort();
  const noisy = confounders.filter((c) => summary.seeds.some((s) => (s.alertsOnConfounders[c] ?? 0) > 0));
  perSeed('alerts on benign behaviours (per seed):', 'behaviour', noisy, (s, c) => String(s.alertsOnConfounders[c] ?? 0));
  const rules = [...new Set(summary.seeds.flatMap((s) => Object.keys(s.falseAlertsByRule)))].sort();
  perSeed('false alerts per rule (per seed):', 'rule', rules, (s, r) => String(s.falseAlertsByRule[r] ?? 0));

  const w = summary.worst;
  const p = summary.pooled;
  out.push(
    `worst seed: ${w.seed} (F1 ${pct(w.f1)}, precision ${pct(w.precision)}, recall ${pct(w.recall)}, ${w.falseAlertsPer1000KeyDays.toFixed(2)} false alerts per 1000 key-days)`,
    `all seeds pooled: F1 ${pct(p.f1)}, precision ${pct(p.precision)}, recall ${pct(p.recall)}, ${p.falseAlertsPer1000KeyDays.toFixed(2)} false alerts per 1000 key-days over ${p.keyDays} key-days`,
  );
  const failing = Object.entries(summary.misses).filter(([, m]) => m.length > 0);
  out.push(
    `goals (every seed: F1 >= ${pct(summary.goals.minF1)}, <= ${summary.goals.maxFalseAlertsPer1000KeyDays} false alert per 1000 key-days, every incident type detected): ` +
      (failing.length === 0 ? 'met' : `missed on ${failing.length} of ${summary.seeds.length} seeds`),
  );
  for (const [seed, m] of failing) out.push(`  seed ${seed}: ${m.join('; ')}`);
  return out.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}
