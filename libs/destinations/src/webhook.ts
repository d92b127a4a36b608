import type { EcsAlert } from '@keywatch/alerts';
import type { Secret } from '@keywatch/config';
import { postBody } from './http-post.ts';
import { bodyExcerpt, classifyHttp } from './http-result.ts';
import { SIGNATURE_HEADER, signBody } from './signature.ts';
import type { DeliveryResult, Destination } from './types.ts';

export interface WebhookOptions {
  name: string;
  /** Treated as a secret: webhook URLs often carry tokens in their path or query. */
  url: Secret;
  /** HMAC-SHA256 key for the signature header. */
  signingSecret: Secret;
  timeoutMs: number;
}

/**
 * Generic webhook: each alert is POSTed as its ECS JSON, signed with `X-Keywatch-Signature: sha256=…`.
 * `X-Keywatch-Alert-Id` lets the receiver drop re-deliveries.
 */
export class WebhookDestination implements Destination {
  readonly name: string;
  readonly kind = 'webhook' as const;
  readonly #url: Secret;
  readonly #signingSecret: Secret;
  readonly #timeoutMs: number;

  constructor(options: WebhookOptions) {
    this.name = options.name;
    this.#url = options.url;
    this.#signingSecret = options.signingSecret;
    this.#timeoutMs = options.timeoutMs;
  }

  async send(alerts: EcsAlert[]): Promise<DeliveryResult[]> {
    const results: DeliveryResult[] = [];
    for (const alert of alerts) results.push(await this.#post(alert));
    return results;
  }

  async close(): Promise<void> {}

  async #post(alert: EcsAlert): Promise<DeliveryResult> {
    const body = JSON.stringify(alert);
    const outcome = await postBody(this.#url.reveal(), body, {
      timeoutMs: this.#timeoutMs,
      headers: {
        [SIGNATURE_HEADER]: signBody(body, this.#signingSecret.reveal()),
        'x-keywatch-alert-id': alert.keywatch.alert.id,
      },
    });
    return classifyHttp(outcome, (status, text) => `webhook HTTP ${status}${text ? `: ${bodyExcerpt(text)}` : ''}`);
  }
}
