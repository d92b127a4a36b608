import type { CanonicalEvent } from '@keywatch/event';
import { isoMillis } from '@keywatch/event';

/** Default lateness bound: CloudTrail delivers ~5-minute files per region, usually within 15 minutes. */
export const DEFAULT_LATENESS_SECONDS = 900;
/** Events held at most, whatever the bound: beyond it the oldest is released early (counted in `forced`). */
export const DEFAULT_MAX_HELD = 200_000;

/** A held event with what its caller needs when it is released (where it came from). */
export interface Held<T> {
  ms: number;
  event: CanonicalEvent;
  tag: T;
}

/** Event time order, ties by event id: the same events give the same order whatever order they arrived in. */
function before<T>(a: Held<T>, b: Held<T>): boolean {
  return a.ms < b.ms || (a.ms === b.ms && a.event.id < b.event.id);
}

/**
 * Puts events back in event-time order before detection: each event is held until an event more than
 * `latenessSeconds` newer has been seen (the watermark, max event time − bound, has passed it), then released
 * with everything older, oldest first. Any interleaving of files, regions or partitions in which no event comes
 * after one more than the bound newer releases the events in exactly the same order. An event arriving behind
 * the watermark is released at once (detection counts it as late if its key has moved past it). The end of the
 * input releases everything (`flush`). Costs: every event waits until the stream's event time has moved on by
 * the bound, and up to a bound's worth of events sits in memory.
 */
export class ReorderBuffer<T = undefined> {
  readonly #boundMs: number;
  readonly #maxHeld: number;
  /** Binary min-heap by (time, id). */
  readonly #heap: Held<T>[] = [];
  /** `time id` of the held events: a re-delivered event still held is dropped here. */
  readonly #ids = new Set<string>();
  #maxMs = Number.NEGATIVE_INFINITY;
  /** Events released before their time because more than `maxHeld` were held. */
  forced = 0;

  constructor(latenessSeconds: number = DEFAULT_LATENESS_SECONDS, maxHeld: number = DEFAULT_MAX_HELD) {
    if (!Number.isFinite(latenessSeconds) || latenessSeconds < 0)
      throw new Error(`lateness ${latenessSeconds}: must be ≥ 0 seconds`);
    this.#boundMs = latenessSeconds * 1000;
    this.#maxHeld = maxHeld;
  }

  /**
   * Takes one event; returns the events now due, oldest first, or null when the event is a copy of one
   * still held (a re-delivery: dropped).
   */
  push(event: CanonicalEvent, tag: T): Held<T>[] | null {
    const ms = isoMillis(event.time);
    // A bound of 0 keeps arrival order: nothing is held.
    if (this.#boundMs === 0) return [{ ms, event, tag }];
    const id = heldId(ms, event);
    if (this.#ids.has(id)) return null;
    this.#ids.add(id);
    this.#insert({ ms, event, tag });
    if (ms > this.#maxMs) this.#maxMs = ms;
    const out: Held<T>[] = [];
    const watermark = this.#maxMs - this.#boundMs;
    while (this.#heap.length > 0 && (this.#heap[0]!.ms < watermark || this.#heap.length > this.#maxHeld)) {
      if (this.#heap[0]!.ms >= watermark) this.forced++;
      out.push(this.#pop());
    }
    return out;
  }

  /** Everything held, oldest first (end of input). */
  flush(): Held<T>[] {
    const out: Held<T>[] = [];
    while (this.#heap.length > 0) out.push(this.#pop());
    return out;
  }

  /** The events held now, in no particular order (to save them with a checkpoint). */
  held(): readonly Held<T>[] {
    return this.#heap;
  }

  get size(): number {
    return this.#heap.length;
  }

  /** Latest event time seen, epoch milliseconds (−Infinity before the first event). */
  get maxTimeMs(): number {
    return this.#maxMs;
  }

  /** Restores what a checkpoint saved: held events (pushed back without releasing anything) and the latest time seen. */
  restore(held: readonly { event: CanonicalEvent; tag: T }[], maxTimeMs: number): void {
    for (const { event, tag } of held) {
      const ms = isoMillis(event.time);
      const id = heldId(ms, event);
      if (this.#ids.has(id)) continue;
      this.#ids.add(id);
      this.#insert({ ms, event, tag });
      if (ms > this.#maxMs) this.#maxMs = ms;
    }
    if (maxTimeMs > this.#maxMs) this.#maxMs = maxTimeMs;
  }

  #insert(h: Held<T>): void {
    const heap = this.#heap;
    heap.push(h);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): Held<T> {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    this.#ids.delete(heldId(top.ms, top.event));
    return top;
  }
}

/** Identity of a held event: its time and provider event id (a re-delivery has both). */
export function heldId(ms: number, event: CanonicalEvent): string {
  return `${ms} ${event.id}`;
}
