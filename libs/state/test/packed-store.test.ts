import { decodeProfile, emptyProfile, encodeProfile, PROFILE_LIMITS, type Profile } from '@keywatch/detect';
import { describe, expect, it } from 'vitest';
import { PackedMemoryProfileStore } from '../src/index.ts';

/** A profile whose size grows with `values` (0..16 IPs) and that `events` tells apart from others. */
function profile(events: number, values: number): Profile {
  const p = emptyProfile(1_772_445_600);
  const seen = (n: number) => Array.from({ length: n }, (_, i) => ({ h: 1000 + i, n: 1 + i, last: p.lastSeen }));
  return {
    ...p,
    events,
    ips: seen(Math.min(values, PROFILE_LIMITS.ips)),
    prefixes: seen(Math.min(values, PROFILE_LIMITS.prefixes)),
    activity: p.activity.map((_, i) => (i < values * 3 ? 1 + (i % 200) : 0)),
    volume: { ...p.volume, logMean: Math.log(1 + values * 1.25), logUpperSq: 0.6 },
  };
}

/** What the store gives back: the profile as the codec keeps it. */
const stored = (p: Profile) => decodeProfile(encodeProfile(p));

describe('PackedMemoryProfileStore', () => {
  it('returns null for an unknown key and the stored profile for a known one', () => {
    const store = new PackedMemoryProfileStore();
    expect(store.get('AKIA1')).toBeNull();
    const p = profile(7, 3);
    store.put('AKIA1', p);
    expect(store.get('AKIA1')).toEqual(stored(p));
    expect(store.size()).toBe(1);
  });

  it('keeps every key right while profiles grow, shrink and move between slots (against a plain Map)', () => {
    const store = new PackedMemoryProfileStore();
    const reference = new Map<string, Profile>();
    let seed = 1;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let step = 0; step < 20_000; step++) {
      const id = `AKIA${String(next(400)).padStart(16, '0')}`;
      const p = profile(step, next(17));
      store.put(id, p);
      reference.set(id, p);
      if (step % 997 === 0) for (const [k, v] of reference) expect(store.get(k), k).toEqual(stored(v));
    }
    for (const [k, v] of reference) expect(store.get(k)).toEqual(stored(v));
    expect(store.size()).toBe(reference.size);
    const encoded = [...reference.values()].reduce((sum, p) => sum + encodeProfile(p).length, 0);
    expect(store.stats().encodedBytes).toBe(encoded);
  });

  it('reuses freed slots: churn among a fixed set of keys does not grow the slab', () => {
    const store = new PackedMemoryProfileStore();
    for (let i = 0; i < 1000; i++) store.put(`K${i}`, profile(i, i % 17));
    const before = store.stats().slabBytes;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 1000; i++) store.put(`K${i}`, profile(i, (i + round) % 17));
    }
    expect(store.stats().slabBytes).toBe(before);
  });

  it('spreads over several slab chunks without mixing keys up', () => {
    const store = new PackedMemoryProfileStore();
    const n = 20_000; // ~600 bytes each: more than one 8 MiB chunk
    for (let i = 0; i < n; i++) store.put(`AKIA${i}`, profile(i, 16));
    expect(store.stats().slabBytes).toBeGreaterThan(8 * 1024 * 1024);
    for (let i = 0; i < n; i += 7) expect(store.get(`AKIA${i}`)?.events).toBe(i);
    expect(store.get(`AKIA${n - 1}`)).toEqual(stored(profile(n - 1, 16)));
  });
});
