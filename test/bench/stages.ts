import {
  decodeProfile,
  detect,
  encodeProfileInto,
  MAX_ENCODED_PROFILE_BYTES,
  type Profile,
  withDefaults,
} from '@keywatch/detect';
import { type GeoLookup, timeContext } from '@keywatch/enrich';
import type { CanonicalEvent } from '@keywatch/event';
import { enrich } from '@keywatch/pipeline';
import { findAndRedact, lineHoldsNoSecret } from '@keywatch/secrets';
import { normalizeRecord } from '@keywatch/sources';
import type { BenchDataset } from './dataset.ts';
import { bestRate } from './timing.ts';

/** Microseconds per event of each step, each timed alone on the same records: where the pipeline's time goes. */
export interface StageCosts {
  jsonParse: number;
  /** Record → canonical event: the secret pre-scan of its line (the walk where it does not clear it), mapping. */
  normalize: number;
  /** The raw-line secret pre-scan (`lineHoldsNoSecret`), which lets normalize skip the walk. */
  prescan: number;
  /** The secret scan and redaction walk, on every record (normalize runs it only where the pre-scan does not clear the line). */
  redact: number;
  /** Key registry, geo/ASN (cached), key-local time. */
  enrich: number;
  /** Of which key-local time (timeContext). */
  localTime: number;
  /** The pure detection core, profiles threaded through a Map. */
  detect: number;
  /** What the packed store adds: one encode and one decode. */
  codec: number;
}

const FAST = { minPasses: 5, minMs: 1000 };

export function stageCosts(data: BenchDataset, geo: GeoLookup): StageCosts {
  const records = data.lines.map((l) => JSON.parse(l) as unknown);
  const events: CanonicalEvent[] = records.flatMap((r) => normalizeRecord(r, { format: 'auto' }).events);
  const inputs = events.map((e) => enrich(e, { geo, registry: data.registry }));
  const options = withDefaults();
  const profiles: Profile[] = [];
  const byKey = new Map<string, Profile>();
  for (const input of inputs) {
    const next = detect(input, byKey.get(input.event.credentialId) ?? null, options).profile;
    byKey.set(input.event.credentialId, next);
    profiles.push(next);
  }
  const scratch = new Uint8Array(MAX_ENCODED_PROFILE_BYTES);

  return {
    jsonParse: micros(data.lines, (l) => JSON.parse(l)),
    normalize: micros(
      records.map((r, i) => [r, data.lines[i]!] as const),
      ([r, line]) => normalizeRecord(r, { format: 'auto' }, line),
    ),
    prescan: micros(data.lines, (l) => lineHoldsNoSecret(l)),
    redact: micros(records, (r) => findAndRedact(r)),
    enrich: micros(events, (e) => enrich(e, { geo, registry: data.registry })),
    localTime: micros(events, (e) => {
      const key = data.registry.get(e.credentialId);
      return timeContext(e.time, key.timezone, key.businessHours);
    }),
    detect:
      1e6 /
      bestRate(() => {
        const threaded = new Map<string, Profile>();
        for (const input of inputs) {
          threaded.set(input.event.credentialId, detect(input, threaded.get(input.event.credentialId) ?? null, options).profile);
        }
        return inputs.length;
      }, FAST),
    codec: micros(profiles, (p) => decodeProfile(scratch.subarray(0, encodeProfileInto(p, scratch)))),
  };
}

function micros<T>(items: readonly T[], each: (item: T) => unknown): number {
  return (
    1e6 /
    bestRate(() => {
      for (const item of items) each(item);
      return items.length;
    }, FAST)
  );
}
