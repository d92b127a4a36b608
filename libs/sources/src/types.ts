import type { CanonicalEvent } from '@keywatch/event';
import type { InputFormat } from './formats.ts';

export const DEAD_LETTER_REASONS = [
  'invalid_json',
  'unknown_format',
  'no_credential',
  'invalid_field',
  'unsupported_event',
  'empty_record',
  /** The input could not be read as records: a corrupt or truncated gzip, a record over the size limit. */
  'unreadable_input',
  /** The record was read and normalized, but processing it failed; the run went on without it. */
  'processing_error',
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

/** Why a provider record was deliberately not turned into an event (it is not an error). */
export const SKIP_REASONS = ['aws_service_record'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A provider record that is not a call made with a credential, so no event; counted, not dead-lettered. */
export interface Skipped {
  reason: SkipReason;
  message: string;
}

/** Fields a source always logs for a call, whose absence means a shipper dropped or renamed them. */
export const EXPECTED_FIELDS = ['sourceIp', 'userAgent'] as const;
export type ExpectedField = (typeof EXPECTED_FIELDS)[number];

/** A record (or one element of it) that produced no event, and why. */
export interface DeadLetter {
  reason: DeadLetterReason;
  /** Names the bad field where there is one (`eventTime: not a date: "redacted"`). */
  message: string;
  /** The offending record, already redacted: safe to store and forward. */
  record: unknown;
}

export interface NormalizeResult {
  events: CanonicalEvent[];
  deadLetters: DeadLetter[];
  /** Provider records that are not calls made with a credential (AWS service records). */
  skipped: Skipped[];
  /** Events whose record lacked a field its source always logs (the IP or user agent lost on the way). */
  incomplete: Array<{ eventId: string; missing: ExpectedField[] }>;
  /**
   * Provider records in the input: every record of a trail file, CloudWatch batch or JSON array counts,
   * whatever the container, so `events + deadLetters + skipped = records`.
   */
  records: number;
}

/**
 * Where a gateway's JSON access-log line keeps each field: dotted paths into the record. A field may
 * list several paths; the first one present wins (`["ip", "identity.sourceIp"]`).
 */
export type FieldPath = string | readonly string[];

export interface GatewayMapping {
  /** Provider name put on events (`kong`, `envoy`, `payments-gw`). */
  name: string;
  fields: {
    time: FieldPath;
    /** The key's public id (never the key itself). */
    keyId: FieldPath;
    consumer?: FieldPath;
    clientIp?: FieldPath;
    forwardedFor?: FieldPath;
    userAgent?: FieldPath;
    method?: FieldPath;
    route?: FieldPath;
    path?: FieldPath;
    status?: FieldPath;
    requestId?: FieldPath;
    region?: FieldPath;
    account?: FieldPath;
  };
  /** Unit of numeric times (epoch): milliseconds unless the gateway logs seconds. */
  timeUnit?: 'ms' | 's';
  /**
   * Use the left-most valid address of `forwardedFor` as the caller IP. Only safe when the gateway
   * sits behind a proxy you trust to set it; clients can forge the header otherwise.
   */
  trustForwardedFor?: boolean;
  /** Dotted paths that may hold the raw key value (header, query parameter): always redacted. */
  secretFields?: readonly string[];
  /** Dotted paths that must all be present for auto-detection to pick this mapping. */
  detect?: readonly string[];
}

export interface NormalizeOptions {
  format: InputFormat;
  /** Mapping for `gateway` records; without it a preset is picked per record. */
  gateway?: GatewayMapping;
  /**
   * The installation's key for secret fingerprints (HMAC-SHA-256, docs/secrets.md), kept with the
   * state or configured; without it, a key random to this process.
   */
  fingerprintKey?: Uint8Array;
}
