import { plainText } from '@keywatch/alerts';
import type { DetectOptions, EvidenceValue, Profile } from '@keywatch/detect';
import type { ValueKind, ValueRow } from '@keywatch/state';
import { num, pct } from './html.ts';
import { countryFromCode, describeSuppression, type KeyData, type KeyStatus, keyStatus, rhythmLines, WEEKDAYS } from './model.ts';

/** One value the key used, with its share of the key's calls. */
export interface UsedValue {
  value: string;
  label: string | null;
  calls: number;
  share: number;
  /** ISO times; null when only the profile is known (it keeps last use, not first). */
  firstSeen: string | null;
  lastSeen: string;
}

export interface AlertSummary {
  id: string;
  time: string;
  rule: string;
  severity: string;
  risk: number;
  count: number;
  message: string;
  baseline: string;
  evidence: Record<string, EvidenceValue>;
  eventIds: string[];
}

/** `keywatch explain --json`: the key's declaration, baseline, status and recent alerts. */
export interface Explanation {
  key: string;
  declared: boolean;
  declaration: {
    owner: string | null;
    scope: string | null;
    timezone: string;
    businessHours: string | null;
    created: string | null;
    rotationDays: number | null;
    tags: string[];
  } | null;
  status: KeyStatus;
  baseline: {
    calls: number;
    firstSeen: string;
    lastSeen: string;
    learned: boolean;
    countries: UsedValue[];
    networks: UsedValue[];
    prefixes: UsedValue[];
    clients: UsedValue[];
    actions: UsedValue[];
    /** Counts only, when the values themselves are not in the state (the profile keeps hashes). */
    distinct: { ips: number; prefixes: number; clients: number };
    rhythm: string[];
    /** Smoothed calls per active hour, over the key-local hours it is active in. */
    usualHourlyCalls: number | null;
    failureShare: number;
    authFailureShare: number;
    writes: number;
    writeShare: number;
  } | null;
  feedback: KeyData['feedback'];
  /** Suppressions from feedback that apply to the key, in words. */
  suppressions: string[];
  recentAlerts: AlertSummary[];
}

const iso = (t: number) => new Date(t * 1000).toISOString();

export function formatBusinessHours(bh: { days: number[]; start: string; end: string } | null | undefined): string | null {
  if (!bh) return null;
  const sorted = [...bh.days].sort((a, b) => a - b);
  const consecutive = sorted.length > 2 && sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  const name = (d: number) => WEEKDAYS[(d + 6) % 7];
  const days = consecutive ? `${name(sorted[0]!)}–${name(sorted[sorted.length - 1]!)}` : sorted.map(name).join(', ');
  return `${days} ${bh.start}–${bh.end}`;
}

function fromHistory(rows: ValueRow[], kind: ValueKind, total: number): UsedValue[] {
  return rows
    .filter((r) => r.kind === kind)
    .map((r) => ({
      value: r.value,
      label: r.label,
      calls: r.calls,
      share: total > 0 ? r.calls / total : 0,
      firstSeen: iso(r.first),
      lastSeen: iso(r.last),
    }));
}

function fromProfile(p: Profile, set: Profile['countries'], name: (h: number) => string): UsedValue[] {
  return [...set]
    .sort((a, b) => b.n - a.n)
    .map((v) => ({
      value: name(v.h),
      label: null,
      calls: v.n,
      share: p.events > 0 ? v.n / p.events : 0,
      firstSeen: null,
      lastSeen: iso(v.last),
    }));
}

export function summarizeAlert(a: KeyData['alerts'][number]): AlertSummary {
  return {
    id: a.event.id,
    time: a['@timestamp'],
    rule: a.rule.id,
    severity: a.keywatch.alert.severity,
    risk: a.event.risk_score,
    count: a.keywatch.alert.count,
    message: a.message,
    baseline: a.keywatch.baseline,
    evidence: a.keywatch.evidence.details,
    eventIds: a.keywatch.evidence.event_ids,
  };
}

/** The explanation of one key as of `asOf` (epoch seconds). Values come from the report history when the
 * state has it (names, first use), otherwise from the profile (countries and ASNs only; IPs and clients are hashed). */
export function explainKey(data: KeyData, asOf: number, options: DetectOptions): Explanation {
  const p = data.profile;
  const info = data.info;
  const status = keyStatus(data, asOf, options);
  let baseline: Explanation['baseline'] = null;
  if (p) {
    const history = data.values.length > 0;
    const total = history ? data.values.filter((v) => v.kind === 'action').reduce((a, v) => a + v.calls, 0) : p.events;
    baseline = {
      calls: p.events,
      firstSeen: iso(p.firstSeen),
      lastSeen: iso(p.lastSeen),
      learned: !status.learning,
      countries: history ? fromHistory(data.values, 'country', total) : fromProfile(p, p.countries, countryFromCode),
      networks: (history ? fromHistory(data.values, 'asn', total) : fromProfile(p, p.asns, String)).map((v) => ({
        ...v,
        value: `AS${v.value}`,
      })),
      prefixes: fromHistory(data.values, 'network', total),
      clients: fromHistory(data.values, 'client', total),
      actions: fromHistory(data.values, 'action', total),
      distinct: { ips: p.ips.length, prefixes: p.prefixes.length, clients: p.userAgents.length },
      rhythm: rhythmLines(p.activity),
      usualHourlyCalls: p.volume.hours > 0 ? Math.exp(p.volume.logMean) : null,
      failureShare: p.events > 0 ? p.failures / p.events : 0,
      authFailureShare: p.failureRate,
      writes: p.writes,
      writeShare: p.events > 0 ? p.writes / p.events : 0,
    };
  }
  return {
    key: data.id,
    declared: info?.declared ?? false,
    declaration: info
      ? {
          owner: info.owner,
          scope: info.scope,
          timezone: info.timezone,
          businessHours: formatBusinessHours(info.businessHours),
          created: info.created,
          rotationDays: info.rotationDays,
          tags: info.tags,
        }
      : null,
    status,
    baseline,
    feedback: data.feedback,
    suppressions: data.suppressions.map(describeSuppression),
    recentAlerts: data.alerts.map(summarizeAlert),
  };
}

const day = (t: string | null) => (t === null ? '?' : t.slice(0, 10));

function valueLines(title: string, values: UsedValue[], limit = 8): string[] {
  if (values.length === 0) return [];
  const lines = values.slice(0, limit).map((v) => {
    const label = v.label ? ` ${v.label.length > 60 ? `${v.label.slice(0, 57)}…` : v.label}` : '';
    return `    ${v.value}${label}: ${pct(v.share)} (${num(v.calls)} calls, ${v.firstSeen ? `first ${day(v.firstSeen)}, ` : ''}last ${day(v.lastSeen)})`;
  });
  if (values.length > limit) lines.push(`    … and ${values.length - limit} more`);
  return [`  ${title}:`, ...lines];
}

/** `keywatch explain` as text; escape sequences and control characters of logged values are removed. */
export function renderExplanation(e: Explanation): string {
  const out: string[] = [];
  const d = e.declaration;
  out.push(`Key ${e.key} (${e.declared ? 'declared in the key registry' : 'not in the key registry: learned from traffic'})`);
  if (d) {
    out.push(`  owner: ${d.owner ?? '-'}   scope: ${d.scope ?? 'not declared'}   timezone: ${d.timezone}`);
    out.push(`  business hours: ${d.businessHours ?? 'not declared'}`);
    if (d.created || d.rotationDays) {
      const due = e.status.rotationDue
        ? `, rotation due ${e.status.rotationDue}${e.status.pastRotation ? ' (PAST DUE)' : ''}`
        : '';
      out.push(`  created: ${d.created ?? '?'}, rotation every ${d.rotationDays ?? '?'} days${due}`);
    }
    if (d.tags.length > 0) out.push(`  tags: ${d.tags.join(', ')}`);
  }
  const b = e.baseline;
  if (!b) {
    out.push('', '  No baseline: keywatch has no profile for this key.');
  } else {
    out.push(
      '',
      `Baseline: ${num(b.calls)} calls from ${day(b.firstSeen)} to ${day(b.lastSeen)}; ${b.learned ? 'learned' : 'STILL LEARNING (new-value detectors are quiet)'}${e.status.dormant ? `; DORMANT for ${e.status.idleDays} days` : ''}`,
    );
    out.push(...valueLines('countries', b.countries));
    out.push(...valueLines('networks (ASN)', b.networks));
    out.push(...valueLines('prefixes (/24, /48)', b.prefixes));
    out.push(...valueLines('clients', b.clients));
    if (b.prefixes.length === 0 && b.clients.length === 0) {
      out.push(
        `  ${b.distinct.ips} IPs, ${b.distinct.prefixes} prefixes, ${b.distinct.clients} client families (kept as hashes only)`,
      );
    }
    out.push('  hour-of-week rhythm (key-local, hours with ≥1% of activity):', ...b.rhythm.map((r) => `    ${r}`));
    if (b.usualHourlyCalls !== null) out.push(`  usual volume: ${b.usualHourlyCalls.toFixed(1)} calls per active hour`);
    out.push(
      `  failures: ${pct(b.failureShare)} of calls; usual authorization-failure share ${pct(b.authFailureShare)}`,
      `  writes: ${num(b.writes)} (${pct(b.writeShare)} of calls)`,
    );
    out.push(...valueLines('actions', b.actions, 6));
  }
  if (e.feedback.length > 0) {
    out.push('', 'Feedback applied:');
    for (const f of e.feedback) out.push(`  ${iso(f.at)} ${f.verdict} on alert ${f.alertId}${f.note ? `: ${f.note}` : ''}`);
  }
  if (e.suppressions.length > 0) out.push('', 'Suppressions applied:', ...e.suppressions.map((s) => `  ${s}`));
  out.push(
    '',
    e.recentAlerts.length > 0 ? `Recent alerts (${e.recentAlerts.length}, newest first):` : 'No alerts recorded for this key.',
  );
  for (const a of e.recentAlerts) {
    out.push(
      `  ${a.severity.toUpperCase().padEnd(8)} ${String(a.risk).padStart(3)}  ${a.rule.padEnd(18)} ${a.time}${a.count > 1 ? `  ×${a.count}` : ''}`,
    );
    out.push(`    ${a.message}`);
    const ev = Object.entries(a.evidence)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    if (ev) out.push(`    evidence: ${ev}`);
    out.push(`    alert ${a.id} · events ${a.eventIds.slice(0, 3).join(', ')}${a.eventIds.length > 3 ? ', …' : ''}`);
  }
  return `${out.map(plainText).join('\n')}\n`;
}
