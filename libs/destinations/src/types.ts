import type { EcsAlert } from '@keywatch/alerts';

/** What happened to one alert at one destination; the dispatcher decides what to do next from it. */
export type DeliveryResult =
  | { status: 'delivered' }
  | { status: 'duplicate' } // e.g. Elasticsearch 409 on create: delivered before
  | { status: 'retry'; reason: string; retryAfterMs?: number } // 429 (Retry-After), 5xx, timeouts, resets
  | { status: 'rejected'; reason: string }; // 400, mapping error: dead-letter, never retry

export interface Destination {
  /** Unique name from the config, e.g. "siem", "slack-payments". */
  readonly name: string;
  /** Its module's kind (`DestinationKind` for those the registry builds); picks defaults such as the rate limit. */
  readonly kind: string;
  /** One result per alert, in the same order. Never throws for HTTP or network errors. */
  send(alerts: EcsAlert[]): Promise<DeliveryResult[]>;
  /**
   * Present on destinations that can summarise many alerts in one message (digest mode). One result for
   * the whole digest.
   */
  sendDigest?(alerts: EcsAlert[]): Promise<DeliveryResult>;
  /**
   * Start-up work that needs the network (Elasticsearch installs its index template). Rejects with a reason
   * that names no secret; the dispatcher retries it in the background while this destination's alerts wait.
   */
  prepare?(): Promise<void>;
  /**
   * Present on destinations that can close what an alert opened (PagerDuty resolves the incident with the same
   * dedup key): what `keywatch feedback --benign` calls.
   */
  resolve?(alertId: string): Promise<DeliveryResult>;
  /** The configured secrets this destination holds (URLs, keys), so every text leaving keywatch can be cleaned of them. */
  secretValues?(): string[];
  close(): Promise<void>;
}
