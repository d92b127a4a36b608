/**
 * Run by memory.ts in a fresh process (`node --expose-gc memory-child.ts <store> <keys> <pool.json>`):
 * fills one store with `keys` keys, cycling through the pool's realistic profiles, and prints the
 * memory growth after full GCs as one JSON line.
 */
import { readFileSync } from 'node:fs';
import type { Profile } from '@keywatch/detect';
import { MemoryProfileStore, PackedMemoryProfileStore, type ProfileStore } from '@keywatch/state';
import { BytesMapProfileStore } from './bytes-map-store.ts';
import { type StoreKind, usage } from './memory.ts';

const [kind, keysArg, poolPath] = process.argv.slice(2) as [StoreKind, string, string];
const keys = Number(keysArg);
const pool = JSON.parse(readFileSync(poolPath, 'utf8')) as Profile[];
const stores: Record<StoreKind, () => ProfileStore> = {
  packed: () => new PackedMemoryProfileStore(),
  'bytes-map': () => new BytesMapProfileStore(),
  objects: () => new MemoryProfileStore(),
};

const before = usage();
const store = stores[kind]();
for (let i = 0; i < keys; i++) {
  // 20 characters like an AWS access key id, as a flat string the way JSON.parse hands ids to the
  // pipeline (a concatenation would be a cons string, bigger); a fresh profile per key, as detect() makes them.
  const id = JSON.parse(`"AKIA${i.toString(36).toUpperCase().padStart(16, '0')}"`) as string;
  store.put(id, structuredClone(pool[i % pool.length]!));
}
const after = usage();
const encodedBytes = store instanceof PackedMemoryProfileStore ? store.stats().encodedBytes : null;
process.stdout.write(`${JSON.stringify({ keys: store.size(), before, after, encodedBytes })}\n`);
