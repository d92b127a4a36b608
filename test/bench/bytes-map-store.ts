import { decodeProfile, encodeProfile, type Profile } from '@keywatch/detect';
import type { ProfileStore } from '@keywatch/state';

/**
 * The obvious packed store, one Uint8Array per key: only here to show, by measurement, what the slab
 * of PackedMemoryProfileStore saves (each small typed array costs its own objects and allocation).
 */
export class BytesMapProfileStore implements ProfileStore {
  readonly #map = new Map<string, Uint8Array>();
  get(credentialId: string): Profile | null {
    const bytes = this.#map.get(credentialId);
    return bytes === undefined ? null : decodeProfile(bytes);
  }
  put(credentialId: string, profile: Profile): void {
    this.#map.set(credentialId, encodeProfile(profile));
  }
  flush(): void {}
  close(): void {}
  size(): number {
    return this.#map.size;
  }
}
