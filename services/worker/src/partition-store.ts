import { decodeProfile, encodeProfile, type Profile } from '@keywatch/detect';
import type { ProfileStore } from '@keywatch/state';

/**
 * The profiles of one events partition, in memory. Changes made while a batch is processed stay pending
 * until the batch's transaction commits (then they are final) or aborts (then they are forgotten), so a
 * re-processed batch starts from exactly the state its changelog records describe. Committed profiles are
 * kept encoded (a few hundred bytes a key instead of a few KB as objects).
 */
export class PartitionStore implements ProfileStore {
  readonly #committed = new Map<string, Uint8Array>();
  /** Encoded once per batch, in pending(): a key's profile changes with every event, its changelog record once. */
  readonly #pending = new Map<string, Profile>();
  readonly #encoded = new Map<string, Uint8Array>();
  /**
   * Encode on every put, so that a profile that cannot be encoded fails its own event (a dead letter), not the
   * batch. detect sets it to re-run a batch whose pending() failed, to find that event.
   */
  strict = false;

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
    this.discard();
  }

  discard(): void {
    this.#pending.clear();
    this.#encoded.clear();
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
