import type { Profile } from '@keywatch/detect';
import type { ProfileStore } from '@keywatch/state';

/**
 * The profiles of one events partition, in memory. Changes made while a batch is processed stay pending
 * until the batch's transaction commits (then they are final) or aborts (then they are forgotten), so a
 * re-processed batch starts from exactly the state its changelog records describe.
 */
export class PartitionStore implements ProfileStore {
  readonly #committed = new Map<string, Profile>();
  readonly #pending = new Map<string, Profile>();

  get(credentialId: string): Profile | null {
    return this.#pending.get(credentialId) ?? this.#committed.get(credentialId) ?? null;
  }

  put(credentialId: string, profile: Profile): void {
    this.#pending.set(credentialId, profile);
  }

  /** A changelog record read during restore; `null` is a tombstone. */
  load(credentialId: string, profile: Profile | null): void {
    if (profile === null) this.#committed.delete(credentialId);
    else this.#committed.set(credentialId, profile);
  }

  /** Keys changed in the batch in flight, with their new profiles: one changelog record each. */
  pending(): [string, Profile][] {
    return [...this.#pending];
  }

  commit(): void {
    for (const [id, profile] of this.#pending) this.#committed.set(id, profile);
    this.#pending.clear();
  }

  discard(): void {
    this.#pending.clear();
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
