import { type EcsAlert, isAlertUpdate } from '@keywatch/alerts';
import type { Secret } from '@keywatch/config';
import { secretRefSchema } from '@keywatch/config';
import { z } from 'zod';
import { timeoutMs, urlSecret } from './config-parts.ts';
import { postBody } from './http-post.ts';
import { bodyExcerpt, classifyHttp } from './http-result.ts';
import { defineDestination } from './module.ts';
import { type SlackMessage, slackAlertMessage, slackDigestMessage, slackUpdateMessage } from './slack-message.ts';
import type { DeliveryResult, Destination } from './types.ts';

export interface SlackOptions {
  name: string;
  /** The incoming-webhook URL: whoever holds it can post, so it is a secret. */
  webhookUrl: Secret;
  timeoutMs: number;
}

/**
 * Slack incoming webhook: one Block Kit message per alert, one short follow-up when a grouped alert's final
 * version comes (at most one per alert), or one digest message for many.
 */
export class SlackDestination implements Destination {
  readonly name: string;
  readonly kind = 'slack' as const;
  readonly #webhookUrl: Secret;
  readonly #timeoutMs: number;

  constructor(options: SlackOptions) {
    this.name = options.name;
    this.#webhookUrl = options.webhookUrl;
    this.#timeoutMs = options.timeoutMs;
  }

  async send(alerts: EcsAlert[]): Promise<DeliveryResult[]> {
    const results: DeliveryResult[] = [];
    for (const alert of alerts) {
      const last = results.at(-1);
      // After a 429 the rest of the batch waits too: posting on risks Slack disabling the webhook.
      if (last?.status === 'retry' && last.retryAfterMs !== undefined) {
        results.push({ status: 'retry', reason: 'not sent: Slack asked to slow down', retryAfterMs: last.retryAfterMs });
        continue;
      }
      results.push(await this.#post(isAlertUpdate(alert) ? slackUpdateMessage(alert) : slackAlertMessage(alert)));
    }
    return results;
  }

  secretValues(): string[] {
    return [this.#webhookUrl.reveal()];
  }

  sendDigest(alerts: EcsAlert[]): Promise<DeliveryResult> {
    return this.#post(slackDigestMessage(alerts));
  }

  async close(): Promise<void> {}

  async #post(message: SlackMessage): Promise<DeliveryResult> {
    const outcome = await postBody(this.#webhookUrl.reveal(), JSON.stringify(message), { timeoutMs: this.#timeoutMs });
    // Slack answers errors with a short plain-text code (invalid_payload, channel_not_found, …).
    return classifyHttp(outcome, (status, body) => `Slack HTTP ${status}${body ? `: ${bodyExcerpt(body)}` : ''}`);
  }
}

export const slackModule = defineDestination({
  kind: 'slack',
  schema: z.object({ kind: z.literal('slack'), webhookUrl: secretRefSchema, timeoutMs }).strict(),
  create: (name, config, env) =>
    new SlackDestination({
      name,
      webhookUrl: urlSecret(config.webhookUrl, env, `destinations.${name}.webhookUrl`),
      timeoutMs: config.timeoutMs,
    }),
  // Slack allows about one message per second per webhook.
  defaultRateLimit: { perSecond: 1, burst: 3 },
  capabilities: { digest: true, resolve: false, startup: false },
});
