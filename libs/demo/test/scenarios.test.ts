import geoip from 'geoip-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BenignLabel, type DemoDataset, generateDemo, type Incident } from '../src/index.ts';
import { GITHUB_RUNNERS, networkOf } from '../src/networks.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, wallClock } from '../src/time.ts';
import { eventId, failed, ipOf, isWrite, keyIdOf, type RawRecord, timeOf } from './records.ts';

/** The traits of each incident type and benign confounder added for issue 3, on the default dataset. */
let demo: DemoDataset;
let byKey: Map<string, RawRecord[]>;
let byId: Map<string, RawRecord>;

beforeAll(() => {
  demo = generateDemo();
  const records = demo.records as RawRecord[];
  byId = new Map(records.map((r) => [eventId(r), r]));
  byKey = Map.groupBy(records, keyIdOf);
});

const prefix = (ip: string) => ip.split('.').slice(0, 3).join('.');
/** The user agent without CloudTrail's brackets around S3 data events. */
const userAgentOf = (r: RawRecord): string => String(r.userAgent ?? r.user_agent).replace(/^\[(.*)\]$/, '$1');
const family = (ua: string) => (ua.split(/[\s/]/)[0] ?? '').toLowerCase();
/** The user agent without its per-call parts (aws-cli command, Go SDK service client). */
const clientOf = (r: RawRecord): string => userAgentOf(r).replace(/ (command\/|md\/command#|api\/)\S+$/, '');

function incidents(kind: string): Incident[] {
  const found = demo.incidents.filter((i) => i.kind === kind);
  expect(found.length, `${kind} incidents in the default dataset`).toBeGreaterThan(0);
  return found;
}

function confounders(kind: string): BenignLabel[] {
  const found = demo.benignLabels.filter((b) => b.kind === kind);
  expect(found.length, `${kind} confounders in the default dataset`).toBeGreaterThan(0);
  return found;
}

function events(x: { eventIds: string[] }): RawRecord[] {
  return x.eventIds.map((id) => byId.get(id) as RawRecord).sort((a, b) => timeOf(a) - timeOf(b));
}

/** The key's records that are not part of `x`, before its first event. */
function before(x: { keyId: string; eventIds: string[] }): RawRecord[] {
  const own = new Set(x.eventIds);
  const first = Math.min(...events(x).map(timeOf));
  return (byKey.get(x.keyId) ?? []).filter((r) => !own.has(eventId(r)) && timeOf(r) < first);
}

/** The key's IANA timezone, as the story's description names it (undeclared keys have none in the registry). */
function zoneOf(x: { description: string }): string {
  const zone = /\b(America\/New_York|Europe\/Berlin|Asia\/Tokyo|UTC)\b/.exec(x.description)?.[1];
  if (zone === undefined) throw new Error(`no timezone in: ${x.description}`);
  return zone;
}

function registered(keyId: string): Record<string, unknown> | undefined {
  return demo.registry.keys.find((k) => k.id === keyId);
}

function km(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b[0] - a[0]) * rad) / 2) ** 2 +
    Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(((b[1] - a[1]) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

describe('incidents', () => {
  it('new_client_on_bot_host: a hand-run client the key never used, from its usual address, reads only', () => {
    for (const inc of incidents('new_client_on_bot_host')) {
      const evs = events(inc);
      const past = before(inc);
      const pastFamilies = new Set(past.map((r) => family(userAgentOf(r))));
      const pastIps = new Set(past.map(ipOf));
      for (const r of evs) {
        expect(['curl', 'python-requests']).toContain(family(userAgentOf(r)));
        expect(pastFamilies.has(family(userAgentOf(r)))).toBe(false);
        expect(pastIps.has(ipOf(r))).toBe(true);
        expect(isWrite(r)).toBe(false);
        expect(failed(r)).toBe(false);
      }
      expect(timeOf(evs.at(-1) as RawRecord) - timeOf(evs[0] as RawRecord)).toBeLessThan(HOUR_MS);
    }
  });

  it("bulk_exfiltration: 10-50 times the key's usual hourly volume within an hour, own address and client", () => {
    for (const inc of incidents('bulk_exfiltration')) {
      const evs = events(inc);
      const own = new Set(inc.eventIds);
      const routine = (byKey.get(inc.keyId) ?? []).filter((r) => !own.has(eventId(r)));
      const usual = routine.length / new Set(routine.map((r) => Math.floor(timeOf(r) / HOUR_MS))).size;
      const reads = evs.filter((r) => r.eventName !== 'ListObjects').length;
      expect(reads).toBeGreaterThanOrEqual(Math.max(30, Math.floor(usual * 10)));
      expect(reads).toBeLessThanOrEqual(Math.max(30, Math.ceil(usual * 50)));
      expect(timeOf(evs.at(-1) as RawRecord) - timeOf(evs[0] as RawRecord)).toBeLessThan(HOUR_MS);
      const pastIps = new Set(before(inc).map(ipOf));
      const clients = new Set(routine.map(clientOf));
      for (const r of evs) {
        expect(['GetObject', 'ListObjects', 'Scan']).toContain(r.eventName);
        expect(r.readOnly).toBe(true);
        expect(pastIps.has(ipOf(r))).toBe(true);
        expect(clients.has(clientOf(r))).toBe(true);
      }
    }
  });

  it('impossible_travel: from a city-located home ISP abroad, faster than any plane after a call from the office', () => {
    for (const inc of incidents('impossible_travel')) {
      const evs = events(inc);
      const lastHome = before(inc).at(-1) as RawRecord;
      expect(networkOf(ipOf(lastHome))?.physical).toBe(true);
      const first = evs[0] as RawRecord;
      const remote = networkOf(ipOf(first));
      expect(remote?.physical).toBe(true);
      expect(remote?.country).not.toBe(networkOf(ipOf(lastHome))?.country);
      const from = geoip.lookup(ipOf(lastHome));
      const to = geoip.lookup(ipOf(first));
      expect(from?.city && to?.city).toBeTruthy();
      const hours = (timeOf(first) - timeOf(lastHome)) / HOUR_MS;
      expect(hours).toBeLessThan(1.5);
      expect(km(from?.ll as [number, number], to?.ll as [number, number]) / hours).toBeGreaterThan(1000);
      for (const r of evs) {
        expect(isWrite(r)).toBe(false);
        expect(clientOf(r)).toBe(clientOf(lastHome));
      }
    }
  });

  it('dormant_key_used: an undeclared key silent for at least 30 days, with no traffic until it wakes', () => {
    const ways = new Set<string>();
    for (const inc of incidents('dormant_key_used')) {
      const evs = events(inc);
      const past = before(inc);
      expect(registered(inc.keyId)).toBeUndefined();
      expect(past.length).toBeGreaterThan(50);
      expect(timeOf(evs[0] as RawRecord) - timeOf(past.at(-1) as RawRecord)).toBeGreaterThanOrEqual(30 * DAY_MS);
      const pastIps = new Set(past.map(ipOf));
      ways.add(evs.every((r) => pastIps.has(ipOf(r))) ? 'old host' : 'elsewhere');
    }
    expect(ways.size).toBeGreaterThan(0);
  });

  it('abandoned_key_woken: a daily key silent for 10+ days, then used from a network it never used', () => {
    for (const inc of incidents('abandoned_key_woken')) {
      const evs = events(inc);
      const past = before(inc);
      const days = new Set(past.map((r) => Math.floor(timeOf(r) / DAY_MS)));
      const firstDay = Math.floor(timeOf(past[0] as RawRecord) / DAY_MS);
      const lastDay = Math.floor(timeOf(past.at(-1) as RawRecord) / DAY_MS);
      expect(days.size).toBe(lastDay - firstDay + 1); // used every day until it was abandoned
      expect(days.size).toBeGreaterThanOrEqual(4);
      expect(timeOf(evs[0] as RawRecord) - timeOf(past.at(-1) as RawRecord)).toBeGreaterThanOrEqual(10 * DAY_MS);
      const homeAsns = new Set(past.map((r) => networkOf(ipOf(r))?.asn));
      for (const r of evs) expect(homeAsns.has(networkOf(ipOf(r))?.asn)).toBe(false);
      const after = (byKey.get(inc.keyId) ?? []).filter((r) => timeOf(r) > timeOf(past.at(-1) as RawRecord));
      expect(after.map(eventId).sort()).toEqual([...inc.eventIds].sort());
    }
  });

  it('key_past_rotation: a declared key crosses its rotation date in the window and keeps working', () => {
    for (const inc of incidents('key_past_rotation')) {
      const k = registered(inc.keyId) as { created: string; rotationDays: number };
      const overdue = Date.parse(`${k.created}T00:00:00Z`) + (k.rotationDays + 1) * DAY_MS;
      const evs = events(inc);
      expect(timeOf(evs[0] as RawRecord)).toBeGreaterThanOrEqual(overdue);
      expect(timeOf(evs[0] as RawRecord)).toBeLessThan(overdue + DAY_MS);
      // Every call from then on is the incident; none before it is over age.
      const after = (byKey.get(inc.keyId) ?? []).filter((r) => timeOf(r) >= overdue);
      expect(after.map(eventId).sort()).toEqual([...inc.eventIds].sort());
    }
  });
});

describe('benign confounders', () => {
  it('redeploy_new_cloud_ips: new /24s of the same cloud network (same ASN) from the redeploy on', () => {
    for (const b of confounders('redeploy_new_cloud_ips')) {
      const past = before(b);
      const home = networkOf(ipOf(past[0] as RawRecord));
      const oldPrefixes = new Set(past.map((r) => prefix(ipOf(r))));
      for (const r of events(b)) {
        expect(networkOf(ipOf(r))?.asn).toBe(home?.asn);
        expect(networkOf(ipOf(r))?.id).toBe(home?.id);
        expect(oldPrefixes.has(prefix(ipOf(r)))).toBe(false);
      }
    }
  });

  it('ci_runner_pool: every run from a fresh GitHub-hosted runner, across many /24s of one ASN', () => {
    for (const b of confounders('ci_runner_pool')) {
      const evs = events(b);
      expect(evs.length).toBe(byKey.get(b.keyId)?.length);
      for (const r of evs) expect(GITHUB_RUNNERS.prefixes).toContain(prefix(ipOf(r)));
      expect(new Set(evs.map((r) => prefix(ipOf(r)))).size).toBeGreaterThan(8);
      // Calls close together (one run) share an address.
      for (let i = 1; i < evs.length; i++) {
        const [a, c] = [evs[i - 1] as RawRecord, evs[i] as RawRecord];
        if (timeOf(c) - timeOf(a) < MINUTE_MS) expect(ipOf(c)).toBe(ipOf(a));
      }
    }
  });

  it('dst_shift: the team keeps its local hours, so its UTC hours move by one', () => {
    for (const b of confounders('dst_shift')) {
      const zone = zoneOf(b);
      const labelled = new Set(b.eventIds);
      const all = byKey.get(b.keyId) ?? [];
      const localHours = (rs: RawRecord[]) => new Set(rs.map((r) => wallClock(timeOf(r), zone).hour));
      const utcHours = (rs: RawRecord[]) => new Set(rs.map((r) => new Date(timeOf(r)).getUTCHours()));
      const pre = all.filter((r) => !labelled.has(eventId(r)));
      const post = events(b);
      expect([...localHours(post)].every((h) => h >= 8 && h < 19)).toBe(true);
      expect([...localHours(pre)].every((h) => h >= 8 && h < 19)).toBe(true);
      expect(Math.min(...utcHours(post))).not.toBe(Math.min(...utcHours(pre)));
    }
  });

  it('dst_shift also covers Berlin: a window across 2026-03-29 shifts the Berlin keys', () => {
    const spring = generateDemo({ seed: 7, keys: 40, days: 14, start: '2026-03-23' });
    const berlin = spring.benignLabels.filter((b) => b.kind === 'dst_shift' && b.description.includes('Europe/Berlin'));
    const ny = spring.benignLabels.filter((b) => b.kind === 'dst_shift' && b.description.includes('America/New_York'));
    expect(berlin.length).toBeGreaterThan(0);
    expect(ny).toEqual([]); // New York changed on 03-08, before this window
    for (const b of berlin) {
      const first = spring.records.find((r) => eventId(r as RawRecord) === b.eventIds[0]) as RawRecord;
      expect(timeOf(first)).toBeGreaterThanOrEqual(Date.parse('2026-03-29T01:00:00Z'));
    }
  });

  it('one_off_busy_day: two to three times the usual calls, all day, at the usual hours', () => {
    for (const b of confounders('one_off_busy_day')) {
      const evs = events(b);
      const day = Math.floor(timeOf(evs[0] as RawRecord) / DAY_MS);
      const perDay = new Map<number, number>();
      for (const r of byKey.get(b.keyId) ?? []) {
        const d = Math.floor(timeOf(r) / DAY_MS);
        if (d !== day) perDay.set(d, (perDay.get(d) ?? 0) + 1);
      }
      const busiestOther = Math.max(...perDay.values());
      expect(evs.length).toBeGreaterThan(busiestOther * 1.3);
      expect(evs.length).toBeLessThan(busiestOther * 4);
    }
  });

  it('new_api_adopted: one action the key never called, from its own addresses and client, and it stays', () => {
    for (const b of confounders('new_api_adopted')) {
      const evs = events(b);
      const action = `${evs[0]!.eventSource}:${evs[0]!.eventName}`;
      expect(evs.every((r) => `${r.eventSource}:${r.eventName}` === action)).toBe(true);
      const earlier = before(b);
      expect(earlier.some((r) => `${r.eventSource}:${r.eventName}` === action)).toBe(false);
      const ips = new Set(earlier.map((r) => r.sourceIPAddress));
      const clients = new Set(earlier.map((r) => r.userAgent));
      expect(evs.every((r) => ips.has(r.sourceIPAddress) && clients.has(r.userAgent))).toBe(true);
      // The release is not rolled back: the key keeps calling it after the labelled first day.
      const last = timeOf(evs.at(-1) as RawRecord);
      const own = new Set(b.eventIds);
      const after = (byKey.get(b.keyId) ?? []).filter((r) => !own.has(eventId(r)) && timeOf(r) > last);
      if (after.length > 0) expect(after.some((r) => `${r.eventSource}:${r.eventName}` === action)).toBe(true);
    }
  });

  it('throttling_burst: dozens of throttling errors within minutes, no denial, then success', () => {
    for (const b of confounders('throttling_burst')) {
      const evs = events(b);
      const throttled = evs.filter((r) => r.errorCode === 'ThrottlingException' || r.errorCode === 'SlowDown');
      expect(throttled.length).toBeGreaterThanOrEqual(10);
      expect(evs.filter(failed)).toEqual(throttled);
      expect(timeOf(evs.at(-1) as RawRecord) - timeOf(evs[0] as RawRecord)).toBeLessThan(15 * MINUTE_MS);
      expect(failed(evs.at(-1) as RawRecord)).toBe(false);
    }
  });
});

describe('fleet behaviours (every seed draws their intensity)', () => {
  it('sdk_upgrade: the same client family with a newer version, from then on', () => {
    for (const b of confounders('sdk_upgrade')) {
      const old = clientOf((byKey.get(b.keyId) ?? [])[0] as RawRecord);
      const upgraded = new Set(events(b).map(clientOf));
      for (const ua of upgraded) {
        expect(ua).not.toBe(old);
        expect(family(ua)).toBe(family(old));
      }
    }
  });

  it('late_finish: weekday calls past the declared end, from the usual host', () => {
    for (const b of confounders('late_finish')) {
      const k = registered(b.keyId);
      const own = new Set(b.eventIds);
      const otherIps = new Set((byKey.get(b.keyId) ?? []).filter((r) => !own.has(eventId(r))).map(ipOf));
      for (const r of events(b)) {
        const w = wallClock(timeOf(r), zoneOf(b));
        expect(w.weekday).toBeLessThanOrEqual(5);
        expect(w.hour).toBeGreaterThanOrEqual(16);
        expect(w.hour).toBeLessThanOrEqual(20);
        if (k !== undefined)
          expect(`${String(w.hour).padStart(2, '0')}:00` >= (k.businessHours as { end: string }).end).toBe(true);
      }
      expect(events(b).some((r) => otherIps.has(ipOf(r)))).toBe(true);
    }
  });

  it('weekend_on_call: a few daytime weekend calls from an address the key uses on weekdays', () => {
    for (const b of confounders('weekend_on_call')) {
      const own = new Set(b.eventIds);
      const weekdayIps = new Set((byKey.get(b.keyId) ?? []).filter((r) => !own.has(eventId(r))).map(ipOf));
      const evs = events(b);
      for (const r of evs) {
        const w = wallClock(timeOf(r), zoneOf(b));
        expect(w.weekday).toBeGreaterThanOrEqual(6);
        expect(w.hour).toBeGreaterThanOrEqual(10);
        expect(w.hour).toBeLessThanOrEqual(18);
        expect(weekdayIps.has(ipOf(r))).toBe(true);
      }
    }
  });

  it('multi_region: the same workload from a second cloud region of its provider, from the first day', () => {
    for (const b of confounders('multi_region')) {
      const own = new Set(b.eventIds);
      const firstHome = (byKey.get(b.keyId) ?? []).filter((r) => !own.has(eventId(r)) && r.eventSource !== 'sts.amazonaws.com');
      const homeNet = networkOf(ipOf(firstHome[0] as RawRecord));
      const evs = events(b);
      expect(timeOf(evs[0] as RawRecord)).toBeLessThan(Date.parse('2026-03-04T00:00:00Z'));
      for (const r of evs) {
        const net = networkOf(ipOf(r));
        expect(net?.id).toMatch(/^aws-/);
        expect(net?.id).not.toBe(homeNet?.id);
        if (r.eventSource !== 'iam.amazonaws.com' && r.eventSource !== 'sts.amazonaws.com') {
          expect(net?.id).toBe(`aws-${r.awsRegion}`);
        }
      }
    }
  });

  it('returns_after_pause: back after 10-20 silent days, from the usual addresses', () => {
    for (const b of confounders('returns_after_pause')) {
      const evs = events(b);
      const past = before(b);
      const gap = timeOf(evs[0] as RawRecord) - timeOf(past.at(-1) as RawRecord);
      expect(gap).toBeGreaterThanOrEqual(10 * DAY_MS - DAY_MS);
      expect(gap).toBeLessThanOrEqual(21 * DAY_MS);
      const pastIps = new Set(past.map(ipOf));
      expect(evs.some((r) => pastIps.has(ipOf(r)))).toBe(true);
    }
  });

  it('sts_session_token: AssumeRole / GetFederationToken records carry the temporary credentials CloudTrail logs', () => {
    for (const b of confounders('sts_session_token')) {
      for (const r of events(b)) {
        expect(['AssumeRole', 'GetFederationToken']).toContain(r.eventName);
        expect(r.responseElements.credentials.sessionToken).toMatch(/^IQoJb3JpZ2luX2Vj[A-Za-z0-9+/]{380,}$/);
        expect(r.responseElements.credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
      }
    }
  });

  it('idempotency_token and pagination_token: UUIDs and opaque tokens in requestParameters', () => {
    for (const b of confounders('idempotency_token')) {
      for (const r of events(b)) expect(r.requestParameters.clientRequestToken).toMatch(/^[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}$/);
    }
    const tokens = confounders('pagination_token')
      .flatMap(events)
      .map((r) => r.requestParameters.nextToken ?? r.requestParameters['continuation-token'])
      .filter((t) => t !== undefined);
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of tokens) expect(t.length).toBeGreaterThanOrEqual(120);
  });

  it('user agents as CloudTrail records them: bracketed S3 data events, aws-cli commands, Go SDK service clients', () => {
    const uas = (demo.records as RawRecord[]).map((r) => String(r.userAgent ?? ''));
    expect(uas.some((ua) => /^\[.*\]$/.test(ua))).toBe(true);
    for (const r of demo.records as RawRecord[]) {
      if (String(r.userAgent ?? '').startsWith('['))
        expect([r.eventSource, r.eventCategory]).toEqual(['s3.amazonaws.com', 'Data']);
    }
    expect(uas.some((ua) => / (command\/|md\/command#)[a-z0-9-]+\.[a-z-]+/.test(ua))).toBe(true);
    expect(uas.some((ua) => / api\/[a-z0-9]+#\d+\.\d+\.\d+/.test(ua))).toBe(true);
  });
});
