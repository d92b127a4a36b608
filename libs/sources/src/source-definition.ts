import type { Adapter } from './adapter.ts';
import type { JsonObject } from './fields.ts';
import type { GatewayMapping, NormalizeOptions } from './types.ts';

/**
 * Everything keywatch knows about one source format, declared next to its adapter. Every list of
 * formats (`--format`, the worker's `sources[].format`, `auto` detection, the adapter switch) is
 * derived from SOURCES below: adding a provider is one file plus one line there.
 */
export interface SourceDefinition<F extends string = string> {
  /** Format id: `--format`, `source` on events, the worker's `sources[].format`. */
  format: F;
  /** One line for help texts and docs. */
  description: string;
  /**
   * True when one record is of this format, for `--format auto`; formats are asked in SOURCES order.
   * Only fields this format alone has count: minimal records are better unguessed than misread.
   */
  recognise(record: JsonObject): boolean;
  /** Whether records of this format may arrive in CloudWatch Logs subscription payloads. */
  cloudWatchLogs?: boolean;
  adapter(options: NormalizeOptions): Adapter;
  /** Named field mappings the user can pick by name (gateway presets). */
  presets?: Readonly<Record<string, GatewayMapping>>;
}

/** Lets each adapter declare its definition with its format id kept as a literal type. */
export function defineSource<const F extends string>(definition: SourceDefinition<F>): SourceDefinition<F> {
  return definition;
}
