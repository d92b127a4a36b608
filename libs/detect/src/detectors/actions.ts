import { hash32 } from '../hash.ts';
import { ACTION_BITS, ACTION_WORDS, type ActionVocabulary, FRESH_ACTIONS, type FreshAction } from '../profile.ts';

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

/**
 * The vocabulary after one call of `action` (a new object: profiles are not mutated). A call of an action not in
 * the set adds it and starts counting it as fresh; a call of a fresh action within its first hour counts. Only
 * calls that `counts` are counted (throttled retries are not volume), but any call teaches the action.
 */
export function learnAction(v: ActionVocabulary | undefined, action: string, now: number, counts: boolean): ActionVocabulary {
  const bit = actionBit(action);
  const fresh: FreshAction[] = [];
  if (v !== undefined) for (const f of v.fresh) if (now - f.since < FRESH_SECONDS) fresh.push(f);
  if (v !== undefined && hasAction(v, bit)) {
    const i = fresh.findIndex((f) => f.bit === bit);
    if (i >= 0 && counts) fresh[i] = { ...fresh[i]!, count: fresh[i]!.count + 1 };
    return { bits: v.bits, since: v.since, grewAt: v.grewAt, fresh };
  }
  const bits = v === undefined ? new Array<number>(ACTION_WORDS).fill(0) : v.bits.slice();
  bits[bit >>> 5] = (bits[bit >>> 5]! | (1 << (bit & 31))) >>> 0;
  fresh.push({ bit, since: now, count: counts ? 1 : 0 });
  if (fresh.length > FRESH_ACTIONS) fresh.shift();
  return { bits, since: v?.since ?? now, grewAt: now, fresh };
}
