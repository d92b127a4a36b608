import type { EcsAlert } from '@keywatch/alerts';
import type { DetectOptions, Profile, Suppression } from '@keywatch/detect';
import type { KeyInfo } from '@keywatch/registry';
import type { DayRow, ValueRow } from '@keywatch/state';

const DAY = 86400;

/** Everything known about one key: its profile, its report history and its alerts. */
export interface KeyData {
  id: string;
  /** The declaration as the pipeline last saw it; null when the state has none (older state, worker). */
  info: KeyInfo | null;
  profile: Profile | null;
  /** Daily history, oldest first (empty when the state keeps none, e.g. a detect worker's changelog). */
  days: DayRow[];
  values: ValueRow[];
  /** Newest first. */
  alerts: EcsAlert[];
  feedback: { alertId: string; verdict: string; at: number; note: string | null }[];
  /** Suppressions feedback created that apply to this key (its own and fleet-wide ones). */
  suppressions: Suppression[];
}

export interface KeyStatus {
  learning: boolean;
  /** `YYYY-MM-DD` the key was due for rotation, when a policy is declared. */
  rotationDue: string | null;
  pastRotation: boolean;
  /** Whole days since the key's last call, as of the report time. */
  idleDays: number;
  dormant: boolean;
}

/** Learning, rotation and dormancy of a key as of `asOf` (epoch seconds), by the detectors' own rules. */
export function keyStatus(data: KeyData, asOf: number, options: DetectOptions): KeyStatus {
  const p = data.profile;
  const l = options.learning;
  const age = p === null ? 0 : p.lastSeen - p.firstSeen;
  const learning = p === null || age < l.minDays * DAY || (p.events < l.minEvents && age < l.maxDays * DAY);
  let rotationDue: string | null = null;
  const created = data.info?.created ? Date.parse(`${data.info.created}T00:00:00Z`) : Number.NaN;
  if (!Number.isNaN(created) && data.info?.rotationDays != null) {
    rotationDue = new Date(created + data.info.rotationDays * DAY * 1000).toISOString().slice(0, 10);
  }
  const pastRotation = rotationDue !== null && asOf * 1000 >= Date.parse(`${rotationDue}T00:00:00Z`);
  const idleDays = p === null ? 0 : Math.max(0, Math.floor((asOf - p.lastSeen) / DAY));
  return { learning, rotationDue, pastRotation, idleDays, dormant: idleDays >= options.detectors.dormant_key.fallbackDays };
}

/** Monday = 0 … Sunday = 6 for a `YYYY-MM-DD` date. */
export function weekdayIndex(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** Days of history the heat map adds up: four whole weeks, so every weekday counts as often. */
export const HEAT_MAP_DAYS = 28;

/**
 * Calls by key-local hour of week (Monday 00h = 0 … Sunday 23h = 167) over the last `HEAT_MAP_DAYS`
 * days of the key's history (ending on its last active day). Exact counts: the history is counted at the
 * edge in the key's timezone, DST included.
 */
export function hourOfWeekCounts(days: readonly DayRow[], windowDays = HEAT_MAP_DAYS): number[] {
  const cells = new Array<number>(168).fill(0);
  if (days.length === 0) return cells;
  const last = Date.parse(`${days[days.length - 1]!.day}T00:00:00Z`);
  const first = last - (windowDays - 1) * DAY * 1000;
  for (const d of days) {
    if (Date.parse(`${d.day}T00:00:00Z`) < first) continue;
    const base = weekdayIndex(d.day) * 24;
    for (let h = 0; h < 24; h++) cells[base + h]! += d.hours[h] ?? 0;
  }
  return cells;
}

/** The first and last day a heat map of `days` covers. */
export function heatMapRange(days: readonly DayRow[], windowDays = HEAT_MAP_DAYS): { from: string; to: string } | null {
  if (days.length === 0) return null;
  const to = days[days.length - 1]!.day;
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (windowDays - 1) * DAY * 1000).toISOString().slice(0, 10);
  const firstKnown = days[0]!.day;
  // ISO dates sort as text: the later of the window start and the first known day.
  return { from: [from, firstKnown].sort()[1]!, to };
}

/** Calendar days from `from` to `to` inclusive, with the history's row or zeros: charts show quiet days too. */
export function dailySeries(
  days: readonly DayRow[],
): { day: string; calls: number; failures: number; authFailures: number; writes: number }[] {
  if (days.length === 0) return [];
  const byDay = new Map(days.map((d) => [d.day, d]));
  const out = [];
  const end = Date.parse(`${days[days.length - 1]!.day}T00:00:00Z`);
  for (let t = Date.parse(`${days[0]!.day}T00:00:00Z`); t <= end; t += DAY * 1000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const d = byDay.get(day);
    out.push({
      day,
      calls: d ? d.hours.reduce((a, b) => a + b, 0) : 0,
      failures: d?.failures ?? 0,
      authFailures: d?.authFailures ?? 0,
      writes: d?.writes ?? 0,
    });
  }
  return out;
}

/** Country code back from the profile's numeric form. */
export function countryFromCode(code: number): string {
  return String.fromCharCode(code >> 8, code & 0xff);
}

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** `08–12, 14–18` for the hours (0..23) whose flag is set. */
export function hourRanges(active: readonly boolean[]): string {
  const parts: string[] = [];
  let start = -1;
  for (let h = 0; h <= 24; h++) {
    if (h < 24 && active[h]) {
      if (start < 0) start = h;
    } else if (start >= 0) {
      parts.push(`${String(start).padStart(2, '0')}–${String(h).padStart(2, '0')}`);
      start = -1;
    }
  }
  return parts.join(', ');
}

/**
 * The key's rhythm from the profile's activity histogram, in words: the hours holding at least
 * `minShare` of its activity, per day of week (168 buckets) or for weekdays and weekends (48 buckets).
 */
export function rhythmLines(activity: readonly number[], minShare = 0.01): string[] {
  const total = activity.reduce((a, b) => a + b, 0);
  if (total <= 0) return ['no activity recorded yet'];
  const groups: [string, number][] =
    activity.length >= 168
      ? WEEKDAYS.map((d, i) => [d, i * 24])
      : [
          ['weekdays', 0],
          ['weekends', 24],
        ];
  return groups.map(([name, base]) => {
    const hours = Array.from({ length: 24 }, (_, h) => (activity[base + h] ?? 0) / total >= minShare);
    const share = Array.from({ length: 24 }, (_, h) => activity[base + h] ?? 0).reduce((a, b) => a + b, 0) / total;
    const ranges = hourRanges(hours);
    return `${name}: ${ranges === '' ? 'quiet' : ranges} (${(share * 100).toFixed(1)}% of activity)`;
  });
}

/** A suppression in words: which rules, for what, until when, and why. */
export function describeSuppression(s: Suppression): string {
  const what = [
    s.countries.length > 0 ? `countries ${s.countries.join(', ')}` : '',
    s.asns.length > 0 ? `ASNs ${s.asns.map((a) => `AS${a}`).join(', ')}` : '',
    s.cidrs.length > 0 ? `networks ${s.cidrs.join(', ')}` : '',
    s.userAgents.length > 0 ? `clients ${s.userAgents.join(', ')}` : '',
    s.actions.length > 0 ? `actions ${s.actions.join(', ')}` : '',
  ].filter(Boolean);
  const rules = s.rules.length > 0 ? s.rules.join(', ') : 'every rule';
  const until = s.expires === null ? 'no expiry' : `until ${new Date(s.expires * 1000).toISOString().slice(0, 10)}`;
  return `${rules}${what.length > 0 ? ` for ${what.join('; ')}` : ''}${s.key === null ? ' (every key)' : ''}, ${until}: ${s.reason}`;
}
