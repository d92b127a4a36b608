import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { InputProgress, SqliteProfileStore } from '@keywatch/state';

/** What to do with one input file, from the state's ledger. */
export type LedgerDecision =
  /** Processed completely before (same bytes, any path): skip it. */
  | { action: 'skip'; progress: InputProgress; reason: string }
  /** Read it, but its first `from` records are already in the baselines (a crash, or a file that grew). */
  | { action: 'read'; progress: InputProgress; from: number; reason: string | null };

/**
 * Looks a file up in the ledger by its content (size + SHA-256, read once more before processing):
 * - the same bytes were processed completely (under any name): skip;
 * - this path was being processed when a run stopped (same bytes): resume after the records it checkpointed;
 * - this path was processed completely and has only grown since (the old bytes are a prefix): read the new part;
 * - anything else: read it all.
 */
export async function ledgerDecision(store: SqliteProfileStore, path: string, reprocess: boolean): Promise<LedgerDecision> {
  const previous = store.input(path);
  const { size, sha256, prefixSha256 } = await hashFile(path, previous?.complete ? previous.size : -1);
  const progress: InputProgress = { path, size, sha256, records: 0, complete: false };
  if (reprocess) return { action: 'read', progress, from: 0, reason: null };
  const done = store.completedInput(size, sha256);
  if (done) return { action: 'skip', progress: done, reason: `already processed${done.path === path ? '' : ` as ${done.path}`}` };
  if (previous && previous.sha256 === sha256 && previous.size === size) {
    return { action: 'read', progress, from: previous.records, reason: `resuming after record ${previous.records}` };
  }
  if (previous?.complete && prefixSha256 === previous.sha256) {
    return { action: 'read', progress, from: previous.records, reason: `grown since; reading after record ${previous.records}` };
  }
  return { action: 'read', progress, from: 0, reason: null };
}

/** Size and SHA-256 of a file, and of its first `prefix` bytes when the file is longer than that. */
async function hashFile(path: string, prefix: number): Promise<{ size: number; sha256: string; prefixSha256: string | null }> {
  const hash = createHash('sha256');
  let size = 0;
  let prefixSha256: string | null = null;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    if (prefix >= 0 && prefixSha256 === null && size + chunk.length > prefix) {
      const cut = prefix - size;
      hash.update(chunk.subarray(0, cut));
      prefixSha256 = hash.copy().digest('hex');
      hash.update(chunk.subarray(cut));
    } else hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex'), prefixSha256 };
}
