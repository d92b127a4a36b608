import { deploySequence, releaseSequence } from './deploy.ts';
import { routineCall } from './mixes.ts';
import type { Call, KeyProfile, Window } from './model.ts';
import { declaredEndMinute } from './registry.ts';
import type { Rng } from './rng.ts';
import { addDays, DAY_MS, HOUR_MS, isoWeekday, type LocalDate, localToUtc, MINUTE_MS } from './time.ts';

/** How a working day's calls spread over its hours: busiest late morning and mid-afternoon, a lunch dip. */
const HOURLY_SHAPE: Record<number, number> = {
  7: 0.5,
  8: 0.7,
  9: 1.1,
  10: 1.2,
  11: 1.1,
  12: 0.7,
  13: 1,
  14: 1.1,
  15: 1.1,
  16: 1,
  17: 0.8,
  18: 0.6,
};
/** Calls in one working session of a bursty key, on average (a report run, a sync, someone at a console). */
const MEAN_SESSION_CALLS = 12;
/** Nightly batch jobs start at 01:00 UTC (plus a few minutes of scheduler jitter). */
const NIGHTLY_START_MINUTE = 60;

/** A key's everyday traffic over the whole window, in time order. */
export function routineCalls(key: KeyProfile, window: Window, rng: Rng): Call[] {
  const calls: Call[] = [];
  const active = () => key.traits.volume !== 'intermittent' || rng.chance(key.traits.activeDayShare);
  switch (key.rhythm) {
    case 'business':
      forEachLocalDay(window, (date) => {
        if (isWeekday(date)) {
          if (active()) calls.push(...businessDay(key, date, rng));
        } else if (key.traits.onCall && rng.chance(key.traits.weekend.dayShare)) {
          calls.push(...weekendOnCall(key, date, rng));
        }
      });
      break;
    case 'ci': {
      const pipeline = { revision: rng.int(40, 400), runs: 0 };
      forEachLocalDay(window, (date) => calls.push(...ciDay(key, date, pipeline, rng)));
      break;
    }
    case 'nightly':
      for (let d = 0; d < window.days; d++) {
        if (active()) calls.push(...nightlyRun(key, window.startMs + d * DAY_MS, rng));
      }
      break;
    case 'always-on':
      for (let d = 0; d < window.days; d++) {
        if (!active()) continue;
        const dayStart = window.startMs + d * DAY_MS;
        for (let t = dayStart; t < dayStart + DAY_MS; t += HOUR_MS) calls.push(...alwaysOnHour(key, t, rng));
      }
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

/**
 * A working day: from the team's start to its usual end, and on some days up to `maxMinutes` past it
 * (a job finishing late, someone working late) at a lower rate. Calls past the declared end (the usual
 * end rounded to the hour) are marked `late_finish`. Bursty keys work in sessions whose size
 * varies log-normally, so their hourly counts are over-dispersed; the others make Poisson calls.
 */
function businessDay(key: KeyProfile, date: LocalDate, rng: Rng): Call[] {
  const { startMinute, endMinute } = key.workday;
  const late = rng.chance(key.traits.lateFinish.dayShare) ? rng.int(5, key.traits.lateFinish.maxMinutes) : 0;
  const calls: Call[] = [];
  // Local noon in UTC, once per day: working hours lie after any DST change (which happen at night).
  const noon = localToUtc(date, 12, 0, key.timezone);
  const declaredEnd = declaredEndMinute(key);
  for (let minute = startMinute; minute < endMinute + late; minute += 15) {
    const span = Math.min(15, endMinute + late - minute);
    const overtime = minute >= endMinute;
    const rate = key.intensity * (HOURLY_SHAPE[Math.floor(minute / 60)] ?? 0.5) * (span / 60) * (overtime ? 0.5 : 1);
    const from = noon + (minute - 12 * 60) * MINUTE_MS;
    const times = key.traits.bursty ? sessionTimes(rate, span, key.traits.sessionSigma, rng) : poissonTimes(rate, span, rng);
    for (const offsetS of times) {
      const call = routineCall(key, from + offsetS * 1000, rng);
      if (minute + offsetS / 60 >= declaredEnd) call.behaviour = 'late_finish';
      calls.push(call);
    }
  }
  return calls;
}

function poissonTimes(rate: number, spanMinutes: number, rng: Rng): number[] {
  const n = rng.poisson(rate);
  return Array.from({ length: n }, () => rng.int(0, spanMinutes * 60 - 1));
}

/** Sessions start at random (Poisson); each holds a log-normal number of calls over a few minutes. */
function sessionTimes(rate: number, spanMinutes: number, sigma: number, rng: Rng): number[] {
  const sessions = rng.poisson(rate / MEAN_SESSION_CALLS);
  const mu = Math.log(MEAN_SESSION_CALLS) - (sigma * sigma) / 2;
  const out: number[] = [];
  for (let s = 0; s < sessions; s++) {
    const size = Math.max(1, Math.round(Math.exp(mu + sigma * rng.normal())));
    const at = rng.int(0, spanMinutes * 60 - 1);
    const length = rng.int(2, 15) * 60;
    for (let i = 0; i < size; i++) out.push(at + rng.int(0, length));
  }
  return out;
}

/** The on-call engineer looks at something on a weekend afternoon: a few calls from the usual host and client. */
function weekendOnCall(key: KeyProfile, date: LocalDate, rng: Rng): Call[] {
  const start = localToUtc(date, rng.int(10, 17), rng.int(0, 59), key.timezone);
  const n = rng.int(1, Math.max(1, key.traits.weekend.maxCalls));
  const ip = rng.pick(key.ips);
  return Array.from({ length: n }, () => {
    const call = routineCall(key, start + rng.int(0, 40 * 60) * 1000, rng);
    call.ip = ip;
    call.behaviour = 'weekend_on_call';
    return call;
  });
}

/** CI runners take jobs in turn, so every runner shows up within the first days. Late days see hotfix deploys. */
function ciDay(key: KeyProfile, date: LocalDate, pipeline: { revision: number; runs: number }, rng: Rng): Call[] {
  if (!isWeekday(date)) return [];
  const runs = Math.max(1, Math.min(6, rng.poisson(key.intensity))); // teams ship every working day
  const { startMinute, endMinute } = key.workday;
  const late = rng.chance(key.traits.lateFinish.dayShare);
  const calls: Call[] = [];
  for (let i = 0; i < runs; i++) {
    const overtime = late && i === runs - 1;
    const minute = overtime
      ? rng.int(endMinute, endMinute + key.traits.lateFinish.maxMinutes)
      : rng.int(startMinute, endMinute - 20);
    const minuteStart = localToUtc(date, 0, minute, key.timezone);
    const start = minuteStart + rng.int(0, 59) * 1000;
    const runner = key.ips[pipeline.runs++ % key.ips.length] as string;
    // A deployment for AWS deployers, a release for GitHub bots.
    const run =
      key.provider === 'github'
        ? releaseSequence(key, start, runner, rng)
        : deploySequence(key, start, pipeline.revision++, runner, rng);
    for (const c of run) if (minute + (c.ms - minuteStart) / MINUTE_MS >= declaredEndMinute(key)) c.behaviour = 'late_finish';
    calls.push(...run);
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
