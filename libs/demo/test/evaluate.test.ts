import { beforeAll, describe, expect, it } from 'vitest';
import { type AlertLike, type DemoDataset, evaluate, formatEvaluation, generateDemo, type Incident } from '../src/index.ts';

let demo: DemoDataset;

beforeAll(() => {
  demo = generateDemo({ seed: 5, keys: 20, days: 10 });
});

/** One alert per (incident, expected detector), each citing one event of the incident. */
function perfectAlerts(incidents: Incident[]): AlertLike[] {
  return incidents.flatMap((i) => i.detectors.map((ruleId) => ({ keyId: i.keyId, ruleId, eventIds: [i.eventIds[0] as string] })));
}

/** An event id of a key that is in no incident and no confounder. */
function quietEvent(d: DemoDataset): { keyId: string; eventId: string } {
  const busy = new Set([...d.incidents, ...d.benignLabels].map((x) => x.keyId));
  const r = (d.records as Array<Record<string, unknown>>).find((x) => {
    const key = (x.userIdentity as { accessKeyId?: string } | undefined)?.accessKeyId;
    return key !== undefined && !busy.has(key);
  });
  if (r === undefined) throw new Error('no quiet key in the dataset');
  return { keyId: (r.userIdentity as { accessKeyId: string }).accessKeyId, eventId: r.eventID as string };
}

describe('evaluate', () => {
  it('scores perfect alerts as precision = recall = 1', () => {
    const e = evaluate(demo, perfectAlerts(demo.incidents));
    expect(demo.incidents.length).toBeGreaterThan(3);
    expect(e.overall.precision).toBe(1);
    expect(e.overall.recall).toBe(1);
    expect(e.overall.f1).toBe(1);
    expect(e.overall.fn).toBe(0);
    expect(e.incidentsDetected).toBe(demo.incidents.length);
    expect(e.falseAlerts).toEqual([]);
    expect(e.falseAlertsPer1000KeyDays).toBe(0);
    expect(e.foundPairs).toBe(e.expectedPairs);
    for (const k of Object.values(e.incidentsByKind)) expect(k.detected).toBe(k.incidents);
    expect(Object.values(e.incidentsByKind).reduce((n, k) => n + k.incidents, 0)).toBe(demo.incidents.length);
    for (const s of Object.values(e.perDetector)) expect([s.precision, s.recall]).toEqual([1, 1]);
  });

  it('counts an alert on a benign confounder as a false positive, and says why', () => {
    const benign = demo.benignLabels[0];
    if (benign === undefined) throw new Error('no benign label');
    const alerts = [
      ...perfectAlerts(demo.incidents),
      { keyId: benign.keyId, ruleId: 'new_ip', eventIds: [benign.eventIds[0] as string] },
    ];
    const e = evaluate(demo, alerts);
    expect(e.overall.fp).toBe(1);
    expect(e.perDetector.new_ip?.fp).toBe(1);
    expect(e.overall.precision).toBeCloseTo((alerts.length - 1) / alerts.length);
    expect(e.falseAlerts[0]?.why).toContain(`benign ${benign.kind}`);
    expect(e.falseAlertsPer1000KeyDays).toBeCloseTo((1 / demo.keyDays) * 1000);
  });

  it('counts alerts per 1,000 key-days and alerts on each benign confounder kind', () => {
    const [first, second] = demo.benignLabels;
    if (first === undefined || second === undefined) throw new Error('need two benign labels');
    const onFirst = { keyId: first.keyId, ruleId: 'new_ip', eventIds: [first.eventIds[0] as string] };
    const alerts = [...perfectAlerts(demo.incidents), onFirst, onFirst];
    const e = evaluate(demo, alerts);
    expect(e.alertsPer1000KeyDays).toBeCloseTo((alerts.length / demo.keyDays) * 1000);
    expect(e.falseAlertsPer1000KeyDays).toBeCloseTo((2 / demo.keyDays) * 1000);
    expect(Object.keys(e.alertsOnConfounders).sort()).toEqual([...new Set(demo.benignLabels.map((b) => b.kind))].sort());
    expect(e.alertsOnConfounders[first.kind]).toBe(2);
    if (second.kind !== first.kind) expect(e.alertsOnConfounders[second.kind]).toBe(0);
    expect(formatEvaluation(e)).toMatch(new RegExp(`^  ${first.kind}\\s+2$`, 'm'));
  });

  it('counts an alert on ordinary traffic as a false positive', () => {
    const quiet = quietEvent(demo);
    const e = evaluate(demo, [{ keyId: quiet.keyId, ruleId: 'off_hours', eventIds: [quiet.eventId] }]);
    expect(e.overall.fp).toBe(1);
    expect(e.perDetector.off_hours?.fp).toBe(1);
    expect(e.falseAlerts[0]?.why).toMatch(/no incident/);
  });

  it('lowers recall for each (incident, detector) pair no alert covers', () => {
    const alerts = perfectAlerts(demo.incidents);
    const dropped = alerts.pop() as AlertLike;
    const e = evaluate(demo, alerts);
    const pairs = demo.incidents.reduce((n, i) => n + i.detectors.length, 0);
    expect(e.overall.recall).toBeCloseTo((pairs - 1) / pairs);
    expect(e.overall.fn).toBe(1);
    expect([e.foundPairs, e.expectedPairs]).toEqual([pairs - 1, pairs]);
    expect(e.overall.precision).toBe(1);
    expect(e.perDetector[dropped.ruleId]?.fn).toBe(1);
    expect(e.missed.map((m) => m.detectors)).toEqual([[dropped.ruleId]]);
  });

  it('needs the right key and evidence from inside the incident for a true positive', () => {
    const inc = demo.incidents[0] as Incident;
    const other = demo.incidents.find((i) => i.keyId !== inc.keyId) as Incident;
    const quiet = quietEvent(demo);
    const e = evaluate(demo, [
      { keyId: inc.keyId, ruleId: inc.detectors[0] as string, eventIds: [quiet.eventId] }, // evidence outside
      { keyId: other.keyId, ruleId: other.detectors[0] as string, eventIds: [] }, // no evidence
    ]);
    expect(e.overall.tp).toBe(0);
    expect(e.overall.fp).toBe(2);
    expect(e.falseAlerts.map((f) => f.why)).toEqual([
      expect.stringMatching(/outside this key's incident/),
      expect.stringMatching(/no evidence/),
    ]);
  });

  it('counts alerts of an unexpected rule on incident events as related, not false', () => {
    const inc = demo.incidents.find((i) => !i.detectors.includes('new_user_agent')) as Incident;
    const perfect = evaluate(demo, perfectAlerts(demo.incidents));
    const e = evaluate(demo, [
      ...perfectAlerts(demo.incidents),
      { keyId: inc.keyId, ruleId: 'new_user_agent', eventIds: inc.eventIds },
    ]);
    expect(e.related).toBe(1);
    expect(e.overall.fp).toBe(0);
    expect(e.overall.precision).toBe(1);
    expect(e.perDetector.new_user_agent?.tp ?? 0).toBe(perfect.perDetector.new_user_agent?.tp ?? 0);
    expect(e.perDetector.new_user_agent?.fp ?? 0).toBe(0);
  });

  it('credits duplicate alerts as true positives but finds each pair once', () => {
    const alerts = perfectAlerts(demo.incidents);
    const e = evaluate(demo, [...alerts, ...alerts]);
    expect(e.overall.tp).toBe(alerts.length * 2);
    expect(e.overall.recall).toBe(1);
  });

  it('formats a readable table', () => {
    const quiet = quietEvent(demo);
    const text = formatEvaluation(evaluate(demo, [{ keyId: quiet.keyId, ruleId: 'new_ip', eventIds: [quiet.eventId] }]));
    expect(text).toMatch(/^detector\s+TP\s+FP\s+FN\s+precision\s+recall\s+F1$/m);
    expect(text).toMatch(/^new_ip\s+0\s+1\s+0\s+0\.0%\s+100\.0%\s+0\.0%$/m);
    expect(text).toMatch(/^overall\s+/m);
    expect(text).toContain(`incidents detected: 0/${demo.incidents.length}`);
    expect(text).toContain(`new_ip on ${quiet.keyId}: ordinary traffic`);
    expect(text).toMatch(/^alerts per 1000 key-days: \d+\.\d\d$/m);
    expect(text).toMatch(/^alerts on benign confounders:$/m);
  });
});
