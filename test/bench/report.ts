import type { MemoryResult } from './memory.ts';
import type { StageCosts } from './stages.ts';
import type { GeoRates } from './throughput.ts';

export interface Report {
  machine: { cpus: number; cpu: string; node: string };
  dataset: {
    records: number;
    events: number;
    deadLetters: number;
    keys: number;
    days: number;
    averageRecordBytes: number;
    alerts: number;
  };
  jsonParsePerSecond: number;
  pipeline: {
    /** MemoryProfileStore: profiles as objects (what `keywatch run` without --state uses). */
    objectStore: { eventsPerSecond: number; ratio: number };
    /** PackedMemoryProfileStore: every get decodes, every put encodes. */
    packedStore: { eventsPerSecond: number; ratio: number };
    /**
     * The highest ratio any normalize could give: JSON.parse plus the detect stage alone (object store) per event,
     * i.e. normalize costing nothing beyond the parse. `ratio` = detect stage rate ÷ (JSON.parse rate + it).
     */
    ceiling: { detectStageEventsPerSecond: number; ratio: number };
  };
  stageMicros: StageCosts;
  /** The same alerts (ids, rules, messages) with profiles packed as without. */
  packingChangesNoAlert: boolean;
  geoLookupsPerSecond: GeoRates;
  profileBytes: { encodedAverage: number; encodedMax: number; jsonAverage: number };
  memory: MemoryResult[];
  seconds: number;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

export function formatReport(r: Report): string {
  const d = r.dataset;
  const rows: Array<[string, string]> = [
    ['dataset', `${int(d.records)} CloudTrail records (avg ${int(d.averageRecordBytes)} B), ${d.keys} keys × ${d.days} days`],
    ['JSON.parse', `${int(r.jsonParsePerSecond)} events/s`],
    [
      'pipeline, object store',
      `${int(r.pipeline.objectStore.eventsPerSecond)} events/s  (ratio ${r.pipeline.objectStore.ratio.toFixed(2)}, goal ≥ 0.5)`,
    ],
    [
      'pipeline, packed store',
      `${int(r.pipeline.packedStore.eventsPerSecond)} events/s  (ratio ${r.pipeline.packedStore.ratio.toFixed(2)}, goal ≥ 0.5)`,
    ],
    [
      'ceiling: JSON.parse + detect stage',
      `detect stage alone ${int(r.pipeline.ceiling.detectStageEventsPerSecond)} events/s  (ratio ceiling ${r.pipeline.ceiling.ratio.toFixed(2)})`,
    ],
    ['µs/event by stage', stageLine(r.stageMicros)],
    ['alerts, packed = objects', `${r.packingChangesNoAlert ? 'yes' : 'NO'} (${int(d.alerts)} alerts)`],
    ['geo lookups, uncached', `${int(r.geoLookupsPerSecond.uncached)} lookups/s`],
    ['geo lookups, cached', `${int(r.geoLookupsPerSecond.cached)} lookups/s`],
    [
      'profile size',
      `encoded avg ${int(r.profileBytes.encodedAverage)} B (max ${int(r.profileBytes.encodedMax)} B), JSON avg ${int(r.profileBytes.jsonAverage)} B`,
    ],
    ...r.memory.map((m): [string, string] => [
      `memory, ${m.store}, ${m.keys >= 1e6 ? `${m.keys / 1e6}M` : `${m.keys / 1e3}k`} keys`,
      `${int(m.bytesPerKey)} B/key  (heap ${int(m.heapPerKey)}, external ${int(m.externalPerKey)}, of which arrayBuffers ${int(m.arrayBuffersPerKey)}; RSS ${int(m.rssPerKey)})`,
    ]),
    ['machine', `${r.machine.cpus} × ${r.machine.cpu}, Node ${r.machine.node}`],
    ['bench time', `${r.seconds.toFixed(0)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}

function stageLine(s: StageCosts): string {
  const us = (n: number) => n.toFixed(1);
  return [
    `parse ${us(s.jsonParse)}`,
    `normalize ${us(s.normalize)} (pre-scan ${us(s.prescan)}; the walk, on every record: ${us(s.redact)})`,
    `enrich ${us(s.enrich)} (local time ${us(s.localTime)})`,
    `detect ${us(s.detect)}`,
    `codec ${us(s.codec)}`,
  ].join(', ');
}
