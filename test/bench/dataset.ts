import { generateDemo } from '@keywatch/demo';
import type { KeyRegistry } from '@keywatch/registry';
import { parseRegistry } from '@keywatch/registry';

/** The records every throughput number is measured on: one CloudTrail record per NDJSON line. */
export interface BenchDataset {
  lines: string[];
  registry: KeyRegistry;
  keyIds: string[];
  /** Distinct caller IPs, in order of first use. */
  ips: string[];
  keys: number;
  days: number;
  averageLineBytes: number;
}

/** The demo generator's fleet (bots with daily rhythms, incidents, confounders), CloudTrail records only. */
export function cloudTrailDataset(keys = 40, days = 14): BenchDataset {
  const demo = generateDemo({ keys, days });
  const records = demo.records.filter(isCloudTrail);
  const lines = records.map((r) => JSON.stringify(r));
  return {
    lines,
    registry: parseRegistry(JSON.stringify(demo.registry), 'demo keys'),
    keyIds: [...new Set(records.map((r) => r.userIdentity?.accessKeyId).filter((id): id is string => typeof id === 'string'))],
    ips: [...new Set(records.map((r) => r.sourceIPAddress))],
    keys,
    days,
    averageLineBytes: Math.round(lines.reduce((sum, l) => sum + Buffer.byteLength(l), 0) / lines.length),
  };
}

interface CloudTrailRecord {
  eventSource: string;
  sourceIPAddress: string;
  userIdentity?: { accessKeyId?: string };
}

function isCloudTrail(r: unknown): r is CloudTrailRecord {
  return typeof r === 'object' && r !== null && typeof (r as { eventSource?: unknown }).eventSource === 'string';
}
