import { alertVersionId, type EcsAlert } from '@keywatch/alerts';
import type { Secret } from '@keywatch/config';
import { resolveSecret, secretRefSchema } from '@keywatch/config';
import { z } from 'zod';
import { timeoutMs, urlSecret } from './config-parts.ts';
import { postBody } from './http-post.ts';
import { bodyExcerpt, classifyHttp } from './http-result.ts';
import { defineDestination } from './module.ts';
import { webhookHeaders } from './signature.ts';
import type { DeliveryResult, Destination } from './types.ts';

export interface WebhookOptions {
  name: string;
  /** Treated as a secret: webhook URLs often carry tokens in their path or query. */
  url: Secret;
  /** HMAC-SHA256 key for the Standard Webhooks signature (`whsec_<base64>` or any string). */
  signingSecret: Secret;
  timeoutMs: number;
  /** Clock for `webhook-timestamp`, epoch ms. */
  now?: () => number;
}

/**
 * Generic webhook: each alert (and each later version of it) is POSTed as its ECS JSON, signed the Standard
 * Webhooks way: `webhook-id` (the alert version id, stable across re-deliveries so receivers drop repeats),
 * `webhook-timestamp` and `webhook-signature` over `id.timestamp.body`.
 */
export class WebhookDestination implements Destination {
  readonly name: string;
  readonly kind = 'webhook' as const;
  readonly #url: Secret;
  readonly #signingSecret: Secret;
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(options: WebhookOptions) {
    this.name = options.name;
    this.#url = options.url;
    this.#signingSecret = options.signingSecret;
    this.#timeoutMs = options.timeoutMs;
    this.#now = options.now ?? Date.now;
  }

  secretValues(): string[] {
    return [this.#url.reveal(), this.#signingSecret.reveal()];
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
        ...webhookHeaders(alertVersionId(alert), body, this.#signingSecret.reveal(), this.#now()),
        'x-keywatch-alert-id': alert.keywatch.alert.id,
      },
    });
    return classifyHttp(outcome, (status, text) => `webhook HTTP ${status}${text ? `: ${bodyExcerpt(text)}` : ''}`);
  }
}

export const webhookModule = defineDestination({
  kind: 'webhook',
  schema: z.object({ kind: z.literal('webhook'), url: secretRefSchema, signingSecret: secretRefSchema, timeoutMs }).strict(),
  create: (name, config, env) =>
    new WebhookDestination({
      name,
      url: urlSecret(config.url, env, `destinations.${name}.url`),
      signingSecret: resolveSecret(config.signingSecret, env),
      timeoutMs: config.timeoutMs,
    }),
  capabilities: { digest: false, resolve: false, startup: false },
});
