import { hash32 } from '../hash.ts';
import {
  ACTION_BITS,
  ACTION_PEAKS,
  ACTION_WORDS,
  type ActionPeak,
  type ActionVocabulary,
  FRESH_ACTIONS,
  type FreshAction,
} from '../profile.ts';

/** How long after its first call an action counts as fresh: a burst is judged on its first hour. */
export const FRESH_SECONDS = 3600;

export function actionBit(action: string): number {
  return hash32(action) % ACTION_BITS;
}

export function hasAction(v: ActionVocabulary, bit: number): boolean {
  return ((v.bits[bit >>> 5]! >>> (bit & 31)) & 1) === 1;
}

/** How many bits are set: the key's vocabulary size (less when two actions share a bit). */
export function vocabularySize(v: ActionVocabulary): number {
  let n = 0;
  for (let i = 0; i < ACTION_WORDS; i++) {
    let w = v.bits[i]! >>> 0;
    for (; w !== 0; w &= w - 1) n++;
  }
  return n;
}

/** The fresh action with this bit, still within its first hour at `now`, if any. */
export function freshAction(v: ActionVocabulary | undefined, bit: number, now: number): FreshAction | undefined {
  if (v === undefined) return undefined;
  for (const f of v.fresh) if (f.bit === bit && now - f.since < FRESH_SECONDS) return f;
  return undefined;
}

/** An action's calls in an hour are kept up to this (two bytes); beyond it the key's whole-hour bound judges. */
const ACTION_COUNT_MAX = 0xffff;

/** The hours of the action with this bit, if the key keeps them. */
export function actionPeak(v: ActionVocabulary | undefined, bit: number): ActionPeak | undefined {
  if (v === undefined) return undefined;
  for (const p of v.peaks) if (p.bit === bit) return p;
  return undefined;
}

/**
 * The vocabulary after one call of `action` (a new object: profiles are not mutated). A call of an action not in
 * the set adds it and starts counting it as fresh; a call of a fresh action within its first hour counts, and so
 * does a call of an action whose hours are kept (a new action gets them while fewer than `ACTION_PEAKS` are). Only
 * calls that `counts` are counted (throttled retries are not volume), but any call teaches the action.
 */
export function learnAction(v: ActionVocabulary | undefined, bit: number, now: number, counts: boolean): ActionVocabulary {
  const fresh: FreshAction[] = [];
  if (v !== undefined) for (const f of v.fresh) if (now - f.since < FRESH_SECONDS) fresh.push(f);
  const peaks = countCall(v?.peaks ?? [], bit, now, counts);
  if (v !== undefined && hasAction(v, bit)) {
    const i = fresh.findIndex((f) => f.bit === bit);
    if (i >= 0 && counts) fresh[i] = { ...fresh[i]!, count: fresh[i]!.count + 1 };
    return { bits: v.bits, since: v.since, grewAt: v.grewAt, fresh, peaks };
  }
  const bits = v === undefined ? new Array<number>(ACTION_WORDS).fill(0) : v.bits.slice();
  bits[bit >>> 5] = (bits[bit >>> 5]! | (1 << (bit & 31))) >>> 0;
  fresh.push({ bit, since: now, count: counts ? 1 : 0 });
  if (fresh.length > FRESH_ACTIONS) fresh.shift();
  return { bits, since: v?.since ?? now, grewAt: now, fresh, peaks };
}

function countCall(peaks: readonly ActionPeak[], bit: number, now: number, counts: boolean): ActionPeak[] {
  const i = peaks.findIndex((p) => p.bit === bit);
  if (i < 0) {
    if (peaks.length >= ACTION_PEAKS) return peaks as ActionPeak[];
    return [...peaks, { bit, since: now, peak: 0, count: counts ? 1 : 0 }];
  }
  if (!counts) return peaks as ActionPeak[];
  const next = peaks.slice();
  next[i] = { ...peaks[i]!, count: Math.min(ACTION_COUNT_MAX, peaks[i]!.count + 1) };
  return next;
}

/**
 * The clock hour in progress is over: each action's calls in it enter its peak, at most `step` × the previous peak
 * once there is one (as the key's own hours do: a burst's first clock hour cannot raise the bar much before its
 * second is judged, while real growth reaches its level within a few busy hours). Peaks do not fade: an action
 * that was busier once is judged against that, which can only hide a burst, never invent one.
 */
export function closeActionHour(v: ActionVocabulary | undefined, step: number): ActionVocabulary | undefined {
  if (v === undefined || !v.peaks.some((p) => p.count > 0)) return v;
  const peaks = v.peaks.map((p) => {
    if (p.count === 0) return p;
    const entered = p.peak >= 1 ? Math.min(p.count, Math.ceil(step * p.peak)) : p.count;
    return { bit: p.bit, since: p.since, peak: Math.min(ACTION_COUNT_MAX, Math.max(p.peak, entered)), count: 0 };
  });
  return { ...v, peaks };
}
