import { decodeProfile, encodeProfileInto, MAX_ENCODED_PROFILE_BYTES, type Profile } from '@keywatch/detect';
import type { ProfileStore } from './sqlite-store.ts';

/** Slots are multiples of 8 bytes: little waste, and a slot number fits a small integer up to 8 GiB of profiles. */
const UNIT = 8;
/** Slab chunks of 8 MiB: large enough that chunk overhead is nothing, small enough to grow in small steps. */
const UNITS_PER_CHUNK = (8 * 1024 * 1024) / UNIT;
/** Slot header: u16 encoded length, u8 slot size in units. */
const HEADER = 3;
const MAX_SLOT_UNITS = 0xff;

export interface PackedStoreStats {
  keys: number;
  /** Sum of the keys' encoded profile sizes. */
  encodedBytes: number;
  /** Bytes of slab allocated (encoded profiles, slot headers and padding, free slots, unused chunk tails). */
  slabBytes: number;
}

/**
 * Profiles kept encoded (`encodeProfile`) in a few large byte slabs instead of as objects: about a
 * sixth of the memory (~380 B per key at a million keys, docs/benchmarks.md). The map holds a slot number per key
 * (a small integer, no object per key); a profile that outgrows its slot moves, and the freed slot is
 * reused by the next profile of that size. `get` decodes a fresh Profile every time.
 */
export class PackedMemoryProfileStore implements ProfileStore {
  readonly #slots = new Map<string, number>();
  readonly #chunks: Uint8Array[] = [];
  /** Free slots by size in units. */
  readonly #free: number[][] = Array.from({ length: MAX_SLOT_UNITS + 1 }, () => []);
  /** Next never-used unit. */
  #top = 0;
  #encodedBytes = 0;
  /** Profiles are encoded here and copied into their slot: no allocation per put. */
  readonly #scratch = new Uint8Array(MAX_ENCODED_PROFILE_BYTES);

  get(credentialId: string): Profile | null {
    const slot = this.#slots.get(credentialId);
    if (slot === undefined) return null;
    const { chunk, at } = this.#locate(slot);
    const length = chunk[at]! | (chunk[at + 1]! << 8);
    return decodeProfile(chunk.subarray(at + HEADER, at + HEADER + length));
  }

  put(credentialId: string, profile: Profile): void {
    const length = encodeProfileInto(profile, this.#scratch);
    const units = Math.ceil((HEADER + length) / UNIT);
    if (units > MAX_SLOT_UNITS) throw new Error(`profile of ${credentialId} encodes to ${length} bytes, more than a slot holds`);
    let slot = this.#slots.get(credentialId);
    if (slot !== undefined) {
      const { chunk, at } = this.#locate(slot);
      this.#encodedBytes -= chunk[at]! | (chunk[at + 1]! << 8);
      const size = chunk[at + 2]!;
      if (size < units) {
        this.#free[size]!.push(slot);
        slot = undefined;
      }
    }
    if (slot === undefined) {
      slot = this.#allocate(units);
      this.#slots.set(credentialId, slot);
    }
    const { chunk, at } = this.#locate(slot);
    chunk[at] = length & 0xff;
    chunk[at + 1] = length >> 8;
    chunk.set(this.#scratch.subarray(0, length), at + HEADER);
    this.#encodedBytes += length;
  }

  flush(): void {}

  close(): void {}

  size(): number {
    return this.#slots.size;
  }

  stats(): PackedStoreStats {
    return { keys: this.#slots.size, encodedBytes: this.#encodedBytes, slabBytes: this.#chunks.length * UNITS_PER_CHUNK * UNIT };
  }

  #allocate(units: number): number {
    const reused = this.#free[units]!.pop();
    if (reused !== undefined) return reused;
    // A slot never spans two chunks: skip the tail of the current chunk when it is too short.
    const offset = this.#top % UNITS_PER_CHUNK;
    if (this.#top === this.#chunks.length * UNITS_PER_CHUNK || offset + units > UNITS_PER_CHUNK) {
      if (offset !== 0) this.#top += UNITS_PER_CHUNK - offset;
      this.#chunks.push(new Uint8Array(UNITS_PER_CHUNK * UNIT));
    }
    const slot = this.#top;
    this.#top += units;
    const { chunk, at } = this.#locate(slot);
    chunk[at + 2] = units;
    return slot;
  }

  #locate(slot: number): { chunk: Uint8Array; at: number } {
    return { chunk: this.#chunks[Math.floor(slot / UNITS_PER_CHUNK)]!, at: (slot % UNITS_PER_CHUNK) * UNIT };
  }
}
