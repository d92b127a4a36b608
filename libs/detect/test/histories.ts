import type { CanonicalEvent } from '@keywatch/event';
import type { KeyInfo } from '@keywatch/registry';
import type { DetectInput } from '../src/index.ts';
import { event, HOME, input, keyInfo } from './helpers.ts';

/**
 * Realistic key histories for behaviour tests, written independently of any dataset: people working in
 * sessions, bots on a schedule. A small seeded generator keeps them reproducible.
 */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const DAY_MS = 86400_000;
const MIN_MS = 60_000;

export interface SessionOptions {
  days: number;
  startDay?: string;
  /** Local working window (hours, key-local = UTC for the default key): sessions start inside it. */
  from?: number;
  to?: number;
  /** Sessions per working day (uniform in the range) and calls per session (log-uniform: bursty). */
  sessions?: [number, number];
  calls?: [number, number];
  /** Share of days with a session that runs up to an hour past `to` (a late finish). */
  lateShare?: number;
  seed?: number;
  key?: KeyInfo;
  over?: Partial<CanonicalEvent>;
}

/** A business-hours key used by people in sessions: over-dispersed hourly counts, weekdays only. */
export function sessions(o: SessionOptions): DetectInput[] {
  const r = rng(o.seed ?? 1);
  const key = o.key ?? keyInfo();
  const [fromH, toH] = [o.from ?? 9, o.to ?? 17];
  const [sMin, sMax] = o.sessions ?? [1, 4];
  const [cMin, cMax] = o.calls ?? [5, 150];
  const start = Date.parse(`${o.startDay ?? '2026-03-02'}T00:00:00Z`);
  const out: DetectInput[] = [];
  for (let d = 0; d < o.days; d++) {
    const day = start + d * DAY_MS;
    const wd = new Date(day).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    const n = sMin + Math.floor(r() * (sMax - sMin + 1));
    const times: number[] = [];
    for (let s = 0; s < n; s++) {
      const late = s === 0 && r() < (o.lateShare ?? 0);
      const begin = late ? toH * 60 - 20 + r() * 40 : fromH * 60 + r() * ((toH - fromH) * 60 - 30);
      const calls = Math.round(Math.exp(Math.log(cMin) + r() * (Math.log(cMax) - Math.log(cMin))));
      const length = 5 + r() * 40;
      for (let c = 0; c < calls; c++) times.push(day + (begin + r() * length) * MIN_MS);
    }
    times.sort((a, b) => a - b);
    for (const t of times) {
      out.push(
        input(event({ time: new Date(t).toISOString(), sourceIp: `3.64.1.${10 + Math.floor(r() * 3)}`, ...o.over }), HOME, key),
      );
    }
  }
  return out;
}

/** A bot calling every `everyMinutes` around the clock, every day. */
export function steady(days: number, everyMinutes: number, startDay = '2026-03-02', key: KeyInfo = keyInfo()): DetectInput[] {
  const start = Date.parse(`${startDay}T00:00:00Z`);
  const out: DetectInput[] = [];
  for (let t = start; t < start + days * DAY_MS; t += everyMinutes * MIN_MS) {
    out.push(input(event({ time: new Date(t).toISOString() }), HOME, key));
  }
  return out;
}

/** `n` calls from `iso` on, `spacingS` seconds apart. */
export function burst(
  n: number,
  iso: string,
  spacingS: number,
  over: Partial<CanonicalEvent> = {},
  key: KeyInfo = keyInfo(),
): DetectInput[] {
  return Array.from({ length: n }, (_, i) =>
    input(event({ time: new Date(Date.parse(iso) + i * spacingS * 1000).toISOString(), ...over }), HOME, key),
  );
}

/** The largest number of calls in one UTC clock hour of a history. */
export function busiestHour(inputs: DetectInput[]): number {
  const counts = new Map<number, number>();
  for (const i of inputs) {
    const h = Math.floor(Date.parse(i.event.time) / 3600_000);
    counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  return Math.max(...counts.values());
}
