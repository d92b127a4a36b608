export { detectFormat } from './detect-format.ts';
export type { InputFormat, SourceFormat } from './formats.ts';
export { INPUT_FORMATS, isSourceFormat, SOURCE_FORMATS, SOURCES, sourceDefinition } from './formats.ts';
export { GATEWAY_PRESETS } from './gateway-presets.ts';
export { normalizeLine, normalizeRecord } from './normalize.ts';
export type { ReadOptions, ReadRecord } from './read.ts';
export { readRecordStream, readRecords } from './read.ts';
export type { SourceDefinition } from './source-definition.ts';
export { parseTime } from './time.ts';
export type {
  DeadLetter,
  DeadLetterReason,
  ExpectedField,
  FieldPath,
  GatewayMapping,
  NormalizeOptions,
  NormalizeResult,
  Skipped,
  SkipReason,
} from './types.ts';
export { DEAD_LETTER_REASONS, EXPECTED_FIELDS, SKIP_REASONS } from './types.ts';
