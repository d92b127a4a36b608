import type { EcsAlert } from '@keywatch/alerts';
import { emptyProfile, withDefaults } from '@keywatch/detect';
import { EMPTY_REGISTRY, type KeyInfo } from '@keywatch/registry';
import type { DayRow } from '@keywatch/state';
import { describe, expect, it } from 'vitest';
import {
  businessHourCells,
  byRisk,
  dailySeries,
  esc,
  explainKey,
  type FleetRow,
  heatLevel,
  heatMapSvg,
  hourOfWeekCounts,
  indexPage,
  type KeyData,
  keyPage,
  keyPagePath,
  keyPageUrl,
  keyStatus,
  renderExplanation,
  rhythmLines,
} from '../src/index.ts';

const DAY = 86400;
const T0 = Date.parse('2026-03-02T00:00:00Z') / 1000; // a Monday
const options = withDefaults();

function day(date: string, hours: Record<number, number>, extra: Partial<DayRow> = {}): DayRow {
  const h = new Array<number>(24).fill(0);
  for (const [k, v] of Object.entries(hours)) h[Number(k)] = v;
  return { day: date, hours: h, failures: 0, authFailures: 0, writes: 0, ...extra };
}

function info(over: Partial<KeyInfo> = {}): KeyInfo {
  return { ...EMPTY_REGISTRY.get('AKIA1'), ...over };
}

function keyData(over: Partial<KeyData> = {}): KeyData {
  return {
    id: 'AKIA1',
    info: info({ owner: 'team-a', timezone: 'Europe/Berlin', declared: true }),
    profile: { ...emptyProfile(T0), lastSeen: T0 + 5 * DAY, events: 500, writes: 5 },
    days: [day('2026-03-02', { 9: 3, 10: 4 }), day('2026-03-04', { 9: 1 }, { failures: 2 })],
    values: [
      { kind: 'country', value: 'DE', label: null, first: T0, last: T0 + DAY, calls: 490, failures: 0 },
      { kind: 'country', value: 'BR', label: null, first: T0 + DAY, last: T0 + DAY, calls: 10, failures: 0 },
      { kind: 'action', value: 's3:GetObject', label: 'read', first: T0, last: T0 + DAY, calls: 500, failures: 0 },
    ],
    alerts: [],
    feedback: [],
    suppressions: [],
    ...over,
  };
}

const hostile = '<script>alert(1)</script>"\'&';

function alert(over: { id?: string; risk?: number; ua?: string } = {}): EcsAlert {
  return {
    '@timestamp': '2026-03-04T10:00:00.000Z',
    message: `Key AKIA1 called s3:GetObject with user agent "${over.ua ?? 'curl'}", a client it has never used. Baseline: 1 client family.`,
    ecs: { version: '8.11.0' },
    event: {
      kind: 'alert',
      id: over.id ?? 'a1',
      category: ['iam'],
      type: ['info'],
      action: 's3:GetObject',
      outcome: 'success',
      severity: 47,
      risk_score: over.risk ?? 45,
      dataset: 'keywatch.alerts',
      module: 'keywatch',
      provider: 'aws',
    },
    rule: { id: 'new_user_agent', name: 'n', ruleset: 'keywatch', description: 'd' },
    keywatch: {
      alert: { id: over.id ?? 'a1', severity: 'medium', count: 1 },
      key: { id: 'AKIA1', owner: 'team-a', scope: null, declared: true, tags: [] },
      evidence: { event_ids: ['e1'], details: { user_agent: over.ua ?? 'curl' } },
      reason: 'r',
      baseline: 'b',
      event: { source: 'cloudtrail', error_code: null, resource: null, secrets_redacted: 0 },
    },
  };
}

describe('esc', () => {
  it('escapes markup and quotes and drops control characters', () => {
    expect(esc(hostile)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    expect(esc('a\u0000b\u001b[31mc\u202ed')).toBe('a bcd');
    expect(esc(null)).toBe('');
  });
});

describe('keyPagePath', () => {
  it('keeps plain ids and makes any other id a safe, distinct file name', () => {
    expect(keyPagePath('AKIA1')).toBe('keys/AKIA1.html');
    const slash = keyPagePath('projects/p/serviceAccounts/sa@p.iam/keys/abc');
    expect(slash).toMatch(/^keys\/[A-Za-z0-9._-]+\.html$/);
    expect(keyPagePath('a/b')).not.toBe(keyPagePath('a_b'));
    expect(keyPagePath('../../etc/passwd')).toMatch(/^keys\/_[A-Za-z0-9._-]+\.html$/);
    expect(keyPagePath('..')).not.toContain('/../');
    expect(keyPageUrl('https://r.example/kw/', 'token:9')).toBe(`https://r.example/kw/${keyPagePath('token:9')}`);
  });
});

describe('hourOfWeekCounts', () => {
  it('adds each day into its weekday row and ignores days older than the window', () => {
    const cells = hourOfWeekCounts(
      [
        day('2026-02-01', { 5: 100 }), // a Sunday, 30 days before the last day: outside 28 days
        day('2026-03-02', { 9: 3 }), // Monday
        day('2026-03-09', { 9: 2 }), // Monday a week later
        day('2026-03-03', { 23: 1 }), // Tuesday
      ].sort((a, b) => (a.day < b.day ? -1 : 1)),
    );
    expect(cells).toHaveLength(168);
    expect(cells[9]).toBe(5);
    expect(cells[24 + 23]).toBe(1);
    expect(cells[6 * 24 + 5]).toBe(0);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('fills quiet days in daily series', () => {
    const s = dailySeries([day('2026-03-02', { 1: 2 }), day('2026-03-04', { 1: 1 }, { failures: 1 })]);
    expect(s.map((x) => [x.day, x.calls, x.failures])).toEqual([
      ['2026-03-02', 2, 0],
      ['2026-03-03', 0, 0],
      ['2026-03-04', 1, 1],
    ]);
  });
});

describe('heat map', () => {
  it('draws 168 cells with their counts and outlines declared business hours', () => {
    const cells = Array.from({ length: 168 }, (_, i) => i % 7);
    const svg = heatMapSvg(cells, { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }, 'caption <b>');
    const counts = [...svg.matchAll(/class="hm-cell l\d" [^>]*data-count="(\d+)"/g)].map((m) => Number(m[1]));
    expect(counts).toEqual(cells);
    expect(svg.match(/class="hm-bh"/g)).toHaveLength(5);
    expect(svg).toContain('caption &lt;b&gt;');
  });

  it('counts business-hour cells like the detectors, overnight shifts included', () => {
    expect(businessHourCells({ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }).filter(Boolean)).toHaveLength(40);
    const night = businessHourCells({ days: [5], start: '22:00', end: '06:00' });
    expect(night[4 * 24 + 22]).toBe(true); // Friday 22h
    expect(night[5 * 24 + 3]).toBe(true); // Saturday 03h belongs to Friday's shift
    expect(night[0 * 24 + 3]).toBe(false);
    expect(businessHourCells(null).some(Boolean)).toBe(false);
  });

  it('colours zero apart from any call and the busiest cell darkest', () => {
    expect(heatLevel(0, 10)).toBe(0);
    expect(heatLevel(1, 1000)).toBe(1);
    expect(heatLevel(10, 10)).toBe(6);
  });
});

describe('keyStatus', () => {
  it('tells learning, past rotation and dormant keys by the detectors’ own thresholds', () => {
    const young = keyData({ profile: { ...emptyProfile(T0), events: 10, lastSeen: T0 + 3 * DAY } });
    expect(keyStatus(young, T0 + 3 * DAY, options).learning).toBe(true);
    const rotated = keyData({ info: info({ created: '2026-01-01', rotationDays: 30 }) });
    expect(keyStatus(rotated, T0, options)).toMatchObject({ learning: false, rotationDue: '2026-01-31', pastRotation: true });
    expect(keyStatus(keyData(), T0 + 40 * DAY, options)).toMatchObject({ dormant: true, idleDays: 35 });
    expect(keyStatus(keyData(), T0 + 6 * DAY, options)).toMatchObject({ dormant: false, pastRotation: false });
  });
});

describe('explain', () => {
  it('states the baseline from the history, with shares, and the recent alerts with evidence', () => {
    const e = explainKey(keyData({ alerts: [alert()] }), T0 + 6 * DAY, options);
    expect(e.baseline?.countries.map((c) => [c.value, c.calls])).toEqual([
      ['DE', 490],
      ['BR', 10],
    ]);
    expect(e.baseline?.countries[0]?.share).toBeCloseTo(0.98);
    const text = renderExplanation(e);
    expect(text).toContain('Key AKIA1 (declared in the key registry)');
    expect(text).toContain('DE: 98% (490 calls, first 2026-03-02');
    expect(text).toContain('evidence: user_agent=curl');
  });

  it('names the suppressions feedback applied to the key', () => {
    const suppression = {
      id: 'feedback:a1',
      key: 'AKIA1',
      rules: ['new_country' as const],
      cidrs: [],
      asns: [],
      countries: ['PT'],
      userAgents: [],
      actions: [],
      expires: T0 + 30 * DAY,
      reason: 'benign feedback on alert a1: Alice in Lisbon',
    };
    const text = renderExplanation(explainKey(keyData({ suppressions: [suppression] }), T0, options));
    expect(text).toContain(
      'Suppressions applied:\n  new_country for countries PT, until 2026-04-01: benign feedback on alert a1: Alice in Lisbon',
    );
  });

  it('falls back to the profile when the state keeps no history (a detect worker)', () => {
    const profile = {
      ...emptyProfile(T0),
      events: 100,
      countries: [{ h: ('D'.charCodeAt(0) << 8) | 'E'.charCodeAt(0), n: 100, last: T0 }],
      activity: Array.from({ length: 48 }, (_, i) => (i >= 9 && i < 17 ? 10 : 0)),
    };
    const e = explainKey({ ...keyData(), info: null, days: [], values: [], profile }, T0, options);
    expect(e.baseline?.countries.map((c) => c.value)).toEqual(['DE']);
    expect(e.declaration).toBeNull();
    expect(renderExplanation(e)).toContain('weekdays: 09–17 (100.0% of activity)');
  });

  it('keeps escape sequences of logged values off the terminal', () => {
    const text = renderExplanation(explainKey(keyData({ alerts: [alert({ ua: 'x\u001b[31mred' })] }), T0, options));
    expect(text).not.toContain('\u001b');
    expect(text).toContain('user_agent=xred');
  });

  it('reads rhythm per weekday from a 168-bucket histogram', () => {
    const activity = new Array<number>(168).fill(0);
    activity[2 * 24 + 3] = 50;
    activity[2 * 24 + 4] = 50;
    expect(rhythmLines(activity)[2]).toBe('Wed: 03–05 (100.0% of activity)');
    expect(rhythmLines(activity)[0]).toBe('Mon: quiet (0.0% of activity)');
  });
});

describe('pages', () => {
  const noExternal = (html: string) => {
    // The only URL allowed is the SVG namespace, which is a name, not something fetched.
    const urls = [...html.matchAll(/(?:https?:)?\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
    expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
  };

  it('escapes every logged value on a key page and loads nothing from anywhere', () => {
    const data = keyData({
      id: `AKIA${hostile}`,
      info: info({ owner: hostile, timezone: 'UTC', businessHours: { days: [1], start: '09:00', end: '10:00' } }),
      values: [{ kind: 'client', value: 'curl', label: hostile, first: T0, last: T0, calls: 1, failures: 0 }],
      alerts: [alert({ ua: hostile })],
    });
    const html = keyPage(data, explainKey(data, T0, options), '2026-03-10T00:00:00Z');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/class="hm-cell/g)).toHaveLength(168);
    noExternal(html);
  });

  it('lists keys by risk on the index, escaped, with a search box and links to key pages', () => {
    const row = (id: string, maxRisk: number, alerts: number, owner: string | null = null): FleetRow => ({
      id,
      owner,
      maxRisk,
      alerts,
      lastAlert: null,
      calls: 10,
      lastSeen: null,
      learning: false,
      pastRotation: false,
      dormant: false,
      idleDays: 0,
    });
    const rows = [row('K-low', 20, 9), row('K-high', 87, 1, hostile), row('K-mid', 45, 2), row('K-mid2', 45, 3)];
    expect([...rows].sort(byRisk).map((r) => r.id)).toEqual(['K-high', 'K-mid2', 'K-mid', 'K-low']);
    const html = indexPage({
      generatedAt: 'now',
      asOf: '2026-03-10T00:00:00.000Z',
      rows,
      alertsByDayRule: [{ day: '2026-03-09', rule: 'new_country', n: 2 }],
    });
    expect(html.indexOf('K-high')).toBeLessThan(html.indexOf('K-low'));
    expect(html).toContain(`href="${keyPagePath('K-high')}"`);
    expect(html).toContain('id="q"');
    expect(html).not.toContain('<script>alert');
    noExternal(html);
  });
});
