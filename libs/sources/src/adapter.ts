import type { CanonicalEvent, FoundSecret } from '@keywatch/event';
import type { DeadLetterReason, ExpectedField } from './types.ts';

/** One provider record found in an input record, with its path there (`Records[3]`, `detail`, ``). */
export interface Element {
  path: string;
  value: unknown;
}

/** A part of an envelope that could not even be read as a record (a CloudWatch message that is not JSON). */
export interface ElementError {
  path: string;
  reason: DeadLetterReason;
  message: string;
  /** The raw part; normalize redacts it before it goes anywhere. */
  raw: unknown;
}

export type Unwrapped = Element | ElementError;

export function isElementError(item: Unwrapped): item is ElementError {
  return 'reason' in item;
}

/** Maps one redacted provider record to an event, or throws RecordRejected. */
export interface Mapper {
  /** Dotted paths holding raw key values, redacted whatever their name (gateway `secretFields`). */
  secretPaths: readonly string[];
  /** Dotted paths where the provider logs a secret on every such call: redacted, but no alert. */
  routinePaths?: readonly string[];
  /** `missing` collects expected fields the record lacks (see NormalizeResult.incomplete). */
  map(record: unknown, secrets: FoundSecret[], missing: ExpectedField[]): CanonicalEvent;
}

export interface Adapter {
  /** Opens the envelope(s) around provider records. Never throws on data. */
  unwrap(value: unknown): Unwrapped[];
  /** Mapper for one raw element (gateways choose a preset per element). */
  mapperFor(element: unknown): Mapper;
}
