import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '@keywatch/detect';

export type StoreKind = 'packed' | 'bytes-map' | 'objects';

export interface MemorySample {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  rss: number;
}

export interface MemoryResult {
  store: StoreKind;
  keys: number;
  /** Growth per key of V8 heap + external memory (external includes arrayBuffers). */
  bytesPerKey: number;
  heapPerKey: number;
  externalPerKey: number;
  arrayBuffersPerKey: number;
  /** Growth of the process's resident memory per key: includes allocator overhead V8 does not count, and freed pages not yet returned. */
  rssPerKey: number;
  /** Packed store only: average encoded profile size. */
  encodedPerKey: number | null;
}

/** Memory after two full collections (needs --expose-gc). */
export function usage(): MemorySample {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('memory measurement needs node --expose-gc');
  gc();
  gc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss };
}

const CHILD = join(import.meta.dirname, 'memory-child.ts');

/** Each measurement in its own process, so one store's garbage cannot blur the next one's numbers. */
export function measureMemory(pool: Profile[], runs: Array<{ store: StoreKind; keys: number }>): MemoryResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'kw-bench-'));
  try {
    const poolPath = join(dir, 'pool.json');
    writeFileSync(poolPath, JSON.stringify(pool));
    return runs.map(({ store, keys }) => {
      const child = spawnSync(
        process.execPath,
        ['--expose-gc', '--max-old-space-size=8192', CHILD, store, String(keys), poolPath],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        },
      );
      if (child.status !== 0) throw new Error(`memory run ${store} × ${keys} failed: ${child.stderr}`);
      const out = JSON.parse(child.stdout) as {
        keys: number;
        before: MemorySample;
        after: MemorySample;
        encodedBytes: number | null;
      };
      const per = (field: keyof MemorySample) => (out.after[field] - out.before[field]) / out.keys;
      return {
        store,
        keys: out.keys,
        bytesPerKey: per('heapUsed') + per('external'),
        heapPerKey: per('heapUsed'),
        externalPerKey: per('external'),
        arrayBuffersPerKey: per('arrayBuffers'),
        rssPerKey: per('rss'),
        encodedPerKey: out.encodedBytes === null ? null : out.encodedBytes / out.keys,
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
