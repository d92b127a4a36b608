import { deploySequence, releaseSequence } from './deploy.ts';
import { routineCall } from './mixes.ts';
import type { Call, KeyProfile, Window } from './model.ts';
import type { Rng } from './rng.ts';
import { addDays, DAY_MS, HOUR_MS, isoWeekday, type LocalDate, localToUtc, MINUTE_MS } from './time.ts';

/** Business-hours bots work 08:30-18:00 local on weekdays, busiest late morning and mid-afternoon. */
export const WORKDAY = { startMinute: 8 * 60 + 30, endMinute: 18 * 60 } as const;
const HOURLY_SHAPE: Record<number, number> = {
  8: 0.5,
  9: 1.1,
  10: 1.2,
  11: 1.1,
  12: 0.7,
  13: 1,
  14: 1.1,
  15: 1.1,
  16: 1,
  17: 0.8,
};
/** CI pipelines deploy between 09:30 and 17:00 local on weekdays. */
const CI_HOURS = { startMinute: 9 * 60 + 30, endMinute: 17 * 60 } as const;
/** Nightly batch jobs start at 01:00 UTC (plus a few minutes of scheduler jitter). */
const NIGHTLY_START_MINUTE = 60;

/** A key's everyday traffic over the whole window, in time order. */
export function routineCalls(key: KeyProfile, window: Window, rng: Rng): Call[] {
  const calls: Call[] = [];
  switch (key.rhythm) {
    case 'business':
      forEachLocalDay(window, (date) => calls.push(...businessDay(key, date, rng)));
      break;
    case 'ci': {
      const pipeline = { revision: rng.int(40, 400), runs: 0 };
      forEachLocalDay(window, (date) => calls.push(...ciDay(key, date, pipeline, rng)));
      break;
    }
    case 'nightly':
      for (let d = 0; d < window.days; d++) calls.push(...nightlyRun(key, window.startMs + d * DAY_MS, rng));
      break;
    case 'always-on':
      for (let t = window.startMs; t < window.endMs; t += HOUR_MS) calls.push(...alwaysOnHour(key, t, rng));
      break;
  }
  return calls.filter((c) => c.ms >= window.startMs && c.ms < window.endMs).sort((a, b) => a.ms - b.ms);
}

/** Local days overlapping the window (one extra on each side, since timezones shift days). */
function forEachLocalDay(window: Window, fn: (date: LocalDate) => void): void {
  for (let d = -1; d <= window.days; d++) fn(addDays(window.start, d));
}

function isWeekday(date: LocalDate): boolean {
  return isoWeekday(date) <= 5;
}

function businessDay(key: KeyProfile, date: LocalDate, rng: Rng): Call[] {
  if (!isWeekday(date)) return [];
  const calls: Call[] = [];
  for (let hour = 8; hour < 18; hour++) {
    const fromMinute = Math.max(hour * 60, WORKDAY.startMinute);
    const span = Math.min((hour + 1) * 60, WORKDAY.endMinute) - fromMinute;
    const n = rng.poisson(key.intensity * (HOURLY_SHAPE[hour] ?? 1) * (span / 60));
    const hourStart = localToUtc(date, 0, fromMinute, key.timezone);
    for (let i = 0; i < n; i++) calls.push(routineCall(key, hourStart + rng.int(0, span * 60 - 1) * 1000, rng));
  }
  return calls;
}

/** CI runners take jobs in turn, so every runner shows up within the first days. */
function ciDay(key: KeyProfile, date: LocalDate, pipeline: { revision: number; runs: number }, rng: Rng): Call[] {
  if (!isWeekday(date)) return [];
  const runs = Math.max(1, Math.min(6, rng.poisson(key.intensity))); // teams ship every working day
  const calls: Call[] = [];
  for (let i = 0; i < runs; i++) {
    const minute = rng.int(CI_HOURS.startMinute, CI_HOURS.endMinute);
    const start = localToUtc(date, 0, minute, key.timezone) + rng.int(0, 59) * 1000;
    const runner = key.ips[pipeline.runs++ % key.ips.length] as string;
    // A deployment for AWS deployers, a release for GitHub bots.
    calls.push(
      ...(key.provider === 'github'
        ? releaseSequence(key, start, runner, rng)
        : deploySequence(key, start, pipeline.revision++, runner, rng)),
    );
  }
  return calls;
}

function nightlyRun(key: KeyProfile, dayStartMs: number, rng: Rng): Call[] {
  const start = dayStartMs + (NIGHTLY_START_MINUTE + rng.int(0, 8)) * MINUTE_MS;
  const durationS = rng.int(20, 50) * 60;
  const n = Math.round(key.intensity * rng.float(0.85, 1.15));
  const calls: Call[] = [];
  for (let i = 0; i < n; i++) calls.push(routineCall(key, start + rng.int(0, durationS) * 1000, rng));
  return calls;
}

/** 24/7 services follow a daily curve peaking at `peakHourUtc`; GitHub pollers make a few calls per poll. */
function alwaysOnHour(key: KeyProfile, hourStartMs: number, rng: Rng): Call[] {
  const hour = new Date(hourStartMs).getUTCHours();
  const peakHourUtc = 14;
  const lambda = key.intensity * (1 + 0.5 * Math.cos((2 * Math.PI * (hour - peakHourUtc)) / 24));
  const n = rng.poisson(lambda);
  const calls: Call[] = [];
  for (let i = 0; i < n; i++) {
    const t = hourStartMs + rng.int(0, 3599) * 1000;
    if (key.provider === 'github') {
      const perPoll = rng.int(2, 4);
      for (let j = 0; j < perPoll; j++) calls.push(routineCall(key, t + j * rng.int(300, 1500), rng));
    } else {
      calls.push(routineCall(key, t, rng));
    }
  }
  return calls;
}

/**
 * A moment on day `dayIndex` when the key is normally busy (so an injected event is unusual only in the
 * way the scenario intends), or null when the key does not work that day.
 */
export function busyMoment(key: KeyProfile, window: Window, dayIndex: number, rng: Rng): number | null {
  const dayStart = window.startMs + dayIndex * DAY_MS;
  switch (key.rhythm) {
    case 'business':
    case 'ci': {
      const date = addDays(window.start, dayIndex);
      if (!isWeekday(date)) return null;
      return localToUtc(date, 10, rng.int(0, 6 * 60 - 1), key.timezone) + rng.int(0, 59) * 1000;
    }
    case 'nightly':
      return dayStart + (70 + rng.int(0, 9)) * MINUTE_MS + rng.int(0, 59) * 1000;
    case 'always-on':
      return dayStart + rng.int(9 * 60, 18 * 60 - 1) * MINUTE_MS + rng.int(0, 59) * 1000;
  }
}
