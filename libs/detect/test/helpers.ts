import type { GeoInfo } from '@keywatch/enrich';
import { timeContext } from '@keywatch/enrich';
import type { CanonicalEvent } from '@keywatch/event';
import { EMPTY_REGISTRY, type KeyInfo } from '@keywatch/registry';
import { type DetectInput, type DetectOptions, detect, type GroupedFinding, type Profile, withDefaults } from '../src/index.ts';

export const KEY = 'AKIAEXAMPLEKEY000001';

/** The registry's own defaults for an undeclared key, with the test's overrides. */
export function keyInfo(over: Partial<KeyInfo> = {}): KeyInfo {
  return { ...EMPTY_REGISTRY.get(KEY), ...over };
}

export const HOME: GeoInfo = {
  country: 'DE',
  region: 'HE',
  city: 'Frankfurt',
  latitude: 50.1,
  longitude: 8.7,
  asn: 16509,
  asOrg: 'AMAZON-02',
  network: 'hosting',
};

let seq = 0;
export function event(over: Partial<CanonicalEvent> = {}): CanonicalEvent {
  seq++;
  return {
    id: `ev-${seq}`,
    time: '2026-03-02T10:00:00.000Z',
    provider: 'aws',
    source: 'cloudtrail',
    credentialId: KEY,
    principal: 'arn:aws:iam::111122223333:user/report-bot',
    account: '111122223333',
    sourceIp: '3.64.1.10',
    sourceAddress: null,
    userAgent: 'aws-sdk-java/2.25.10 Linux/5.10',
    action: 's3:GetObject',
    resource: null,
    accessClass: 'read',
    outcome: 'success',
    errorCode: null,
    region: 'eu-central-1',
    secrets: [],
    ...over,
  };
}

export function input(ev: CanonicalEvent, geo: GeoInfo | null = HOME, key: KeyInfo = keyInfo()): DetectInput {
  return { event: ev, geo, key, time: timeContext(ev.time, key.timezone, key.businessHours) };
}

/** Feeds a sequence of inputs through detect, threading the profile; returns every finding and the last profile. */
export function feed(
  inputs: DetectInput[],
  start: Profile | null = null,
  options: DetectOptions = withDefaults(),
): { findings: GroupedFinding[]; profile: Profile | null } {
  let profile = start;
  const findings: GroupedFinding[] = [];
  for (const i of inputs) {
    const r = detect(i, profile, options);
    findings.push(...r.findings);
    profile = r.profile;
  }
  return { findings, profile };
}

/** A key's normal life: `days` weekdays of calls every `everyMinutes` from 09:00 to 17:00 UTC, from HOME. */
export function history(days: number, key: KeyInfo = keyInfo(), everyMinutes = 30, startDay = '2026-03-02'): DetectInput[] {
  const out: DetectInput[] = [];
  const start = Date.parse(`${startDay}T00:00:00Z`);
  for (let d = 0; d < days; d++) {
    const day = new Date(start + d * 86400_000);
    const wd = day.getUTCDay();
    if (wd === 0 || wd === 6) continue;
    for (let m = 9 * 60; m < 17 * 60; m += everyMinutes) {
      const t = new Date(day.getTime() + m * 60_000).toISOString();
      out.push(input(event({ time: t, sourceIp: `3.64.1.${10 + (m % 3)}` }), HOME, key));
    }
  }
  return out;
}

export function at(
  iso: string,
  over: Partial<CanonicalEvent> = {},
  geo: GeoInfo | null = HOME,
  key: KeyInfo = keyInfo(),
): DetectInput {
  return input(event({ time: iso, ...over }), geo, key);
}
