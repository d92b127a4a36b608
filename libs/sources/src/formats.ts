import { canonicalSource } from './canonical.ts';
import { cloudTrailSource } from './cloudtrail.ts';
import { gatewaySource } from './gateway.ts';
import { gcpAuditSource } from './gcp-audit.ts';
import { githubAuditSource } from './github-audit.ts';
import type { SourceDefinition } from './source-definition.ts';

/** Every source format, in the order `auto` tries them (canonical first: its fields are the most specific). */
export const SOURCES = [canonicalSource, cloudTrailSource, gcpAuditSource, githubAuditSource, gatewaySource] as const;

export type SourceFormat = (typeof SOURCES)[number]['format'];
export type InputFormat = SourceFormat | 'auto';

export const SOURCE_FORMATS: readonly SourceFormat[] = SOURCES.map((s) => s.format);
/** What `--format` and the worker's `sources[].format` accept. */
export const INPUT_FORMATS: readonly InputFormat[] = ['auto', ...SOURCE_FORMATS];

export function isSourceFormat(value: string): value is SourceFormat {
  return (SOURCE_FORMATS as readonly string[]).includes(value);
}

export function sourceDefinition(format: SourceFormat): SourceDefinition<SourceFormat> {
  const found = SOURCES.find((s) => s.format === format);
  if (found === undefined) throw new Error(`unknown source format: ${format}`);
  return found;
}
