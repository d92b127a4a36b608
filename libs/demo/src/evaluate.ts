import type { AlertLike, BenignLabel, DemoDataset, Evaluation, Incident, Score } from './types.ts';

/**
 * Scores alerts against the dataset's labels (rules in README.md):
 * - TP: the alert's key is an incident's key, its rule is one the incident expects, and at least one of
 *   its evidence events belongs to the incident.
 * - related: the evidence touches an incident but the rule was not expected there (neither TP nor FP).
 * - FP: anything else.
 * An (incident, expected detector) pair is found when a TP alert covers it; recall = found / expected
 * pairs, precision = TP / (TP + FP), per detector and overall.
 */
export function evaluate(dataset: DemoDataset, alerts: AlertLike[]): Evaluation {
  const incidentOf = indexByEvent(dataset.incidents);
  const benignOf = indexByEvent(dataset.benignLabels);
  const found = new Set<string>();
  const onConfounders: Record<string, number> = Object.fromEntries(
    [...new Set(dataset.benignLabels.map((b) => b.kind))].sort().map((kind) => [kind, 0]),
  );
  const alertCounts = new Map<string, { tp: number; fp: number }>();
  const falseAlerts: Evaluation['falseAlerts'] = [];
  let related = 0;

  for (const alert of alerts) {
    for (const b of unique(alert.eventIds.map((id) => benignOf.get(id)))) {
      onConfounders[b.kind] = (onConfounders[b.kind] ?? 0) + 1;
    }
    const touched = unique(alert.eventIds.map((id) => incidentOf.get(id)));
    const covered = touched.filter((i) => i.keyId === alert.keyId && i.detectors.includes(alert.ruleId));
    const counts = alertCounts.get(alert.ruleId) ?? { tp: 0, fp: 0 };
    alertCounts.set(alert.ruleId, counts);
    if (covered.length > 0) {
      counts.tp++;
      for (const i of covered) found.add(pairKey(i.id, alert.ruleId));
    } else if (touched.length > 0) {
      related++;
    } else {
      counts.fp++;
      falseAlerts.push({
        ...alert,
        why: whyFalse(alert, dataset.incidents, unique(alert.eventIds.map((id) => benignOf.get(id)))),
      });
    }
  }

  const detectors = [...new Set([...dataset.incidents.flatMap((i) => i.detectors), ...alertCounts.keys()])].sort();
  const perDetector: Record<string, Score> = {};
  for (const d of detectors) {
    const expected = dataset.incidents.filter((i) => i.detectors.includes(d));
    const hits = expected.filter((i) => found.has(pairKey(i.id, d))).length;
    const c = alertCounts.get(d) ?? { tp: 0, fp: 0 };
    perDetector[d] = score(c.tp, c.fp, hits, expected.length);
  }
  const expectedPairs = dataset.incidents.reduce((n, i) => n + i.detectors.length, 0);
  const totals = [...alertCounts.values()].reduce((t, c) => ({ tp: t.tp + c.tp, fp: t.fp + c.fp }), { tp: 0, fp: 0 });
  const missed = dataset.incidents
    .map((i) => ({
      incidentId: i.id,
      kind: i.kind,
      keyId: i.keyId,
      detectors: i.detectors.filter((d) => !found.has(pairKey(i.id, d))),
    }))
    .filter((m) => m.detectors.length > 0);

  const detected = (i: Incident) => i.detectors.some((d) => found.has(pairKey(i.id, d)));
  const incidentsByKind: Evaluation['incidentsByKind'] = {};
  for (const i of [...dataset.incidents].sort((a, b) => a.kind.localeCompare(b.kind))) {
    const k = incidentsByKind[i.kind] ?? { incidents: 0, detected: 0 };
    incidentsByKind[i.kind] = { incidents: k.incidents + 1, detected: k.detected + (detected(i) ? 1 : 0) };
  }

  return {
    perDetector,
    overall: score(totals.tp, totals.fp, found.size, expectedPairs),
    falseAlertsPer1000KeyDays: per1000KeyDays(totals.fp, dataset.keyDays),
    alertsPer1000KeyDays: per1000KeyDays(alerts.length, dataset.keyDays),
    alerts: alerts.length,
    alertsOnConfounders: onConfounders,
    related,
    incidentsDetected: dataset.incidents.filter(detected).length,
    incidents: dataset.incidents.length,
    incidentsByKind,
    expectedPairs,
    foundPairs: found.size,
    falseAlerts,
    missed,
  };
}

/**
 * A ratio whose denominator is zero counts as perfect: no alerts means no wrong alerts (precision 1),
 * nothing expected means nothing missed (recall 1). F1 still shows a detector that never fires.
 */
function score(tp: number, fp: number, foundPairs: number, expectedPairs: number): Score {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = expectedPairs === 0 ? 1 : foundPairs / expectedPairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn: expectedPairs - foundPairs, precision, recall, f1 };
}

function per1000KeyDays(n: number, keyDays: number): number {
  return keyDays > 0 ? (n / keyDays) * 1000 : 0;
}

function whyFalse(alert: AlertLike, incidents: Incident[], benign: BenignLabel[]): string {
  if (alert.eventIds.length === 0) return 'the alert lists no evidence event ids';
  const b = benign[0];
  if (b !== undefined) return `benign ${b.kind}: ${b.description}`;
  const own = incidents.filter((i) => i.keyId === alert.keyId).map((i) => i.id);
  if (own.length > 0) return `evidence lies outside this key's incident(s) ${own.join(', ')}`;
  return 'ordinary traffic of a key with no incident';
}

function indexByEvent<T extends { eventIds: string[] }>(items: T[]): Map<string, T> {
  const index = new Map<string, T>();
  for (const item of items) for (const id of item.eventIds) index.set(id, item);
  return index;
}

function unique<T>(items: Array<T | undefined>): T[] {
  return [...new Set(items.filter((x): x is T => x !== undefined))];
}

function pairKey(incidentId: string, detector: string): string {
  return `${incidentId}\u0000${detector}`;
}
