import type { EcsAlert } from '@keywatch/alerts';
import { type Profile, withDefaults } from '@keywatch/detect';
import { createGeoLookup, type GeoLookup } from '@keywatch/enrich';
import { createDetectStage } from '@keywatch/pipeline';
import { normalizeLine } from '@keywatch/sources';
import { MemoryProfileStore, type ProfileStore } from '@keywatch/state';
import type { BenchDataset } from './dataset.ts';
import { bestRate } from './timing.ts';

const NORMALIZE = { format: 'auto' } as const;
const OPTIONS = withDefaults();

/** Bare `JSON.parse` of every line: the floor any JSON pipeline pays. */
export function jsonParseRate(data: BenchDataset): number {
  return bestRate(() => {
    let events = 0;
    for (const line of data.lines) if (JSON.parse(line) !== null) events++;
    return events;
  });
}

export interface PipelineRun {
  events: number;
  deadLetters: number;
  alerts: EcsAlert[];
  /** Every key's profile at the end of the run. */
  profiles: Profile[];
}

/**
 * parse → normalize → enrich → detect → alert, in process on one core, with a fresh store each pass
 * (every pass sees the keys from their first event). The geo lookup is shared, as in a long run.
 */
export function runPipeline(data: BenchDataset, store: ProfileStore, geo: GeoLookup): PipelineRun {
  const stage = createDetectStage({ geo, registry: data.registry, store, options: OPTIONS });
  const run: PipelineRun = { events: 0, deadLetters: 0, alerts: [], profiles: [] };
  for (const line of data.lines) {
    const result = normalizeLine(line, NORMALIZE);
    run.deadLetters += result.deadLetters.length;
    for (const event of result.events) {
      run.events++;
      for (const alert of stage(event).alerts) run.alerts.push(alert);
    }
  }
  for (const id of data.keyIds) {
    const p = store.get(id);
    if (p !== null) run.profiles.push(p);
  }
  return run;
}

/**
 * The detect stage alone (enrich, detection, alerts; profiles as objects) on events normalized before the clock
 * starts: what the pipeline pays after normalize, the part no faster parse, secret scan or mapping can remove.
 */
export function detectStageRate(data: BenchDataset, geo: GeoLookup): number {
  const events = data.lines.flatMap((line) => normalizeLine(line, NORMALIZE).events);
  return bestRate(() => {
    const stage = createDetectStage({ geo, registry: data.registry, store: new MemoryProfileStore(), options: OPTIONS });
    for (const event of events) stage(event);
    return events.length;
  });
}

export function pipelineRate(data: BenchDataset, newStore: () => ProfileStore, geo: GeoLookup): number {
  return bestRate(() => runPipeline(data, newStore(), geo).events);
}

export interface GeoRates {
  /** Every lookup reads the geo and ASN tables (cache off), on random public IPv4 addresses. */
  uncached: number;
  /** The dataset's caller IPs in event order, through the default LRU cache (what the pipeline sees). */
  cached: number;
}

export function geoRates(data: BenchDataset): GeoRates {
  const random = randomPublicIpv4(20_000);
  const uncachedGeo = createGeoLookup({ cacheSize: 0 });
  const uncached = bestRate(() => {
    for (const ip of random) uncachedGeo.lookup(ip);
    return random.length;
  });
  const callerIps = data.lines.map((l) => (JSON.parse(l) as { sourceIPAddress: string }).sourceIPAddress);
  const cachedGeo = createGeoLookup();
  const cached = bestRate(() => {
    for (const ip of callerIps) cachedGeo.lookup(ip);
    return callerIps.length;
  });
  return { uncached, cached };
}

/** Deterministic addresses spread over the whole IPv4 space, skipping the obviously non-public first octets. */
function randomPublicIpv4(count: number): string[] {
  let seed = 0x2f6b1c3d;
  const next = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed;
  };
  const ips: string[] = [];
  while (ips.length < count) {
    const n = next();
    const a = n >>> 24;
    if (a === 0 || a === 10 || a === 127 || a >= 224) continue;
    ips.push(`${a}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`);
  }
  return ips;
}
