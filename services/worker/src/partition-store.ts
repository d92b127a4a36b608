import { decodeProfile, encodeProfile, type Profile } from '@keywatch/detect';
import type { CanonicalEvent } from '@keywatch/event';
import { DEFAULT_LATENESS_SECONDS, heldId, ReorderBuffer } from '@keywatch/pipeline';
import type { ProfileStore } from '@keywatch/state';

/** Where a held event's record was on the events topic: its dead letter names it. */
export interface EventSource {
  topic: string;
  partition: number;
  offset: string;
  /** Which event of a record that packs several (`event 2 of 5 in the record: `), or '' / absent. */
  which?: string;
}

/**
 * Changelog keys of the reorder buffer, beside the profiles' (credential ids, which never hold a NUL): one
 * record per held event (a tombstone once it is detected) and one with the latest event time seen.
 */
const HELD_PREFIX = '\u0000held\u0000';
const MAX_TIME_KEY = '\u0000reorder-max';

export function isReorderKey(key: string): boolean {
  return key.startsWith('\u0000');
}

/**
 * The profiles of one events partition, in memory. Changes made while a batch is processed stay pending
 * until the batch's transaction commits (then they are final) or aborts (then they are forgotten), so a
 * re-processed batch starts from exactly the state its changelog records describe. Committed profiles are
 * kept encoded (a few hundred bytes a key instead of a few KB as objects).
 */
export class PartitionStore implements ProfileStore {
  readonly #latenessSeconds: number;
  #reorder: ReorderBuffer<EventSource> | null = null;
  /** Held events and latest time as restored from the changelog, until the buffer is first used. */
  readonly #restoredHeld = new Map<string, Buffer>();
  #restoredMax = Number.NEGATIVE_INFINITY;
  /** Held event ids (and the latest time) the changelog has as of the last commit; a batch writes the difference. */
  #heldSaved = new Set<string>();
  #maxSaved = Number.NEGATIVE_INFINITY;
  #pendingHeld: { ids: Set<string>; max: number } | null = null;
  readonly #committed = new Map<string, Uint8Array>();
  /** Encoded once per batch, in pending(): a key's profile changes with every event, its changelog record once. */
  readonly #pending = new Map<string, Profile>();
  readonly #encoded = new Map<string, Uint8Array>();
  /**
   * Encode on every put, so that a profile that cannot be encoded fails its own event (a dead letter), not the
   * batch. detect sets it to re-run a batch whose pending() failed, to find that event.
   */
  strict = false;

  constructor(latenessSeconds: number = DEFAULT_LATENESS_SECONDS) {
    this.#latenessSeconds = latenessSeconds;
  }

  /** The partition's reorder buffer, with the events the changelog says were held. */
  get reorder(): ReorderBuffer<EventSource> {
    if (this.#reorder === null) {
      this.#reorder = new ReorderBuffer<EventSource>(this.#latenessSeconds);
      const held = [...this.#restoredHeld.values()].map((v) => JSON.parse(v.toString('utf8')) as Held);
      this.#reorder.restore(held, this.#restoredMax);
      this.#heldSaved = new Set(this.#restoredHeld.keys());
      this.#maxSaved = this.#restoredMax;
      this.#restoredHeld.clear();
    }
    return this.#reorder;
  }

  /** A reorder-buffer record read during restore (`null` value: the event was detected). */
  loadReorder(key: string, value: Buffer | null): void {
    if (key === MAX_TIME_KEY) {
      if (value !== null) this.#restoredMax = Number(value.toString('utf8'));
    } else if (key.startsWith(HELD_PREFIX)) {
      const id = key.slice(HELD_PREFIX.length);
      if (value === null) this.#restoredHeld.delete(id);
      else this.#restoredHeld.set(id, value);
    }
  }

  /** Changelog records for what the batch in flight changed in the reorder buffer (new held events, detected ones). */
  reorderChanges(): [string, Buffer | null][] {
    if (this.#reorder === null) return [];
    const out: [string, Buffer | null][] = [];
    const ids = new Set<string>();
    for (const h of this.#reorder.held()) {
      const id = heldId(h.ms, h.event);
      ids.add(id);
      if (!this.#heldSaved.has(id))
        out.push([HELD_PREFIX + id, Buffer.from(JSON.stringify({ event: h.event, tag: h.tag } satisfies Held))]);
    }
    for (const id of this.#heldSaved) if (!ids.has(id)) out.push([HELD_PREFIX + id, null]);
    const max = this.#reorder.maxTimeMs;
    if (max !== this.#maxSaved) out.push([MAX_TIME_KEY, Buffer.from(String(max))]);
    this.#pendingHeld = { ids, max };
    return out;
  }

  /** Whether the partition has a profile of this key (committed or pending), without decoding it. */
  has(credentialId: string): boolean {
    return this.#pending.has(credentialId) || this.#committed.has(credentialId);
  }

  get(credentialId: string): Profile | null {
    const pending = this.#pending.get(credentialId);
    if (pending) return pending;
    const committed = this.#committed.get(credentialId);
    return committed ? decodeProfile(committed) : null;
  }

  put(credentialId: string, profile: Profile): void {
    if (this.strict) encodeProfile(profile);
    this.#pending.set(credentialId, profile);
  }

  /** A changelog record read during restore; `null` is a tombstone. */
  load(credentialId: string, profile: Profile | null): void {
    if (profile === null) this.#committed.delete(credentialId);
    else this.#committed.set(credentialId, encodeProfile(profile));
  }

  /**
   * Keys changed in the batch in flight, with their new encoded profiles: one changelog record each. Throws,
   * naming the key, when a profile cannot be encoded (then re-run the batch with `strict`).
   */
  pending(): [string, Uint8Array][] {
    this.#encoded.clear();
    for (const [id, profile] of this.#pending) {
      try {
        this.#encoded.set(id, encodeProfile(profile));
      } catch (error) {
        throw new Error(`the profile of ${id} cannot be encoded: ${(error as Error).message}`);
      }
    }
    return [...this.#encoded];
  }

  commit(): void {
    for (const [id, profile] of this.#pending) this.#committed.set(id, this.#encoded.get(id) ?? encodeProfile(profile));
    if (this.#pendingHeld) {
      this.#heldSaved = this.#pendingHeld.ids;
      this.#maxSaved = this.#pendingHeld.max;
    }
    this.discard();
  }

  /** Forgets the batch's profile changes. The reorder buffer cannot be rolled back: drop the whole store after this. */
  discard(): void {
    this.#pending.clear();
    this.#encoded.clear();
    this.#pendingHeld = null;
  }

  /** Durability comes from the changelog records written in the batch's transaction. */
  flush(): void {}

  close(): void {}

  size(): number {
    let n = this.#committed.size;
    for (const id of this.#pending.keys()) if (!this.#committed.has(id)) n++;
    return n;
  }
}

/** A held event as its changelog record holds it. */
interface Held {
  event: CanonicalEvent;
  tag: EventSource;
}

/**
 * A changelog value: the encoded profile (`encodeProfile`, version byte first). Changelogs written before
 * the encoding held JSON; those records still load.
 */
export function encodeChangelogValue(profile: Profile | Uint8Array): Buffer {
  const bytes = profile instanceof Uint8Array ? profile : encodeProfile(profile);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodeChangelogValue(value: Buffer): Profile {
  return value[0] === 0x7b ? (JSON.parse(value.toString('utf8')) as Profile) : decodeProfile(value);
}
