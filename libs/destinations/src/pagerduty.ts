import type { EcsAlert } from '@keywatch/alerts';
import type { Secret } from '@keywatch/config';
import { resolveSecret, secretRefSchema } from '@keywatch/config';
import { z } from 'zod';
import { httpUrl, timeoutMs } from './config-parts.ts';
import { postBody } from './http-post.ts';
import { bodyExcerpt, classifyHttp } from './http-result.ts';
import { linkTemplateProblem } from './link-template.ts';
import { defineDestination } from './module.ts';
import { type PagerDutyLink, pagerDutyTrigger } from './pagerduty-event.ts';
import type { DeliveryResult, Destination } from './types.ts';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export interface PagerDutyOptions {
  name: string;
  /** The integration's routing key: it travels in the body and is the credential. */
  routingKey: Secret;
  url: string;
  timeoutMs: number;
  /** PagerDuty documents no Retry-After on 429; its guidance is to wait about 30 s before retrying. */
  throttleWaitMs: number;
  /** Link templates (link-template.ts) expanded per alert onto the incident. */
  links?: PagerDutyLink[];
}

/** PagerDuty Events API v2: one `trigger` per alert; 202 accepted, 429/5xx retried, 400 rejected with PagerDuty's reason. */
export class PagerDutyDestination implements Destination {
  readonly name: string;
  readonly kind = 'pagerduty' as const;
  readonly #routingKey: Secret;
  readonly #url: string;
  readonly #timeoutMs: number;
  readonly #throttleWaitMs: number;
  readonly #links: PagerDutyLink[];

  constructor(options: PagerDutyOptions) {
    this.name = options.name;
    this.#routingKey = options.routingKey;
    this.#url = options.url;
    this.#timeoutMs = options.timeoutMs;
    this.#throttleWaitMs = options.throttleWaitMs;
    this.#links = options.links ?? [];
  }

  async send(alerts: EcsAlert[]): Promise<DeliveryResult[]> {
    const results: DeliveryResult[] = [];
    for (const alert of alerts) {
      const last = results.at(-1);
      if (last?.status === 'retry' && last.retryAfterMs !== undefined) {
        results.push({ status: 'retry', reason: 'not sent: PagerDuty rate limit', retryAfterMs: last.retryAfterMs });
        continue;
      }
      results.push(await this.#trigger(alert));
    }
    return results;
  }

  secretValues(): string[] {
    return [this.#routingKey.reveal()];
  }

  async close(): Promise<void> {}

  /**
   * Resolves the incident an alert opened (same `dedup_key`): what `keywatch feedback --benign` does, so a
   * verdict reached in keywatch closes the page too. PagerDuty answers 202 whether or not the incident is open.
   */
  async resolve(alertId: string): Promise<DeliveryResult> {
    const body = JSON.stringify({ routing_key: this.#routingKey.reveal(), event_action: 'resolve', dedup_key: alertId });
    const outcome = await postBody(this.#url, body, { timeoutMs: this.#timeoutMs });
    return classifyHttp(outcome, (status, text) => `PagerDuty HTTP ${status}: ${pagerDutyReason(text)}`);
  }

  async #trigger(alert: EcsAlert): Promise<DeliveryResult> {
    const body = JSON.stringify(pagerDutyTrigger(alert, this.#routingKey.reveal(), this.#links));
    const outcome = await postBody(this.#url, body, { timeoutMs: this.#timeoutMs });
    const result = classifyHttp(outcome, (status, text) => `PagerDuty HTTP ${status}: ${pagerDutyReason(text)}`);
    if (outcome.kind === 'response' && outcome.status === 429 && result.status === 'retry' && result.retryAfterMs === undefined) {
      return { ...result, retryAfterMs: this.#throttleWaitMs };
    }
    return result;
  }
}

/** PagerDuty's error body is `{status, message, errors: [...]}`; anything else is quoted as text. */
function pagerDutyReason(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; errors?: unknown };
    const errors = Array.isArray(parsed.errors) ? parsed.errors.map(String).join('; ') : '';
    const message = typeof parsed.message === 'string' ? parsed.message : '';
    const reason = [message, errors].filter(Boolean).join(': ');
    if (reason) return bodyExcerpt(reason);
  } catch {
    // not JSON: fall through to the raw excerpt
  }
  return bodyExcerpt(body) || 'no body';
}

const pagerDutyLinkSchema = z
  .object({
    href: z.string().superRefine((template, ctx) => {
      const problem = linkTemplateProblem(template);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    text: z.string().min(1).max(256).default('Open the alert'),
  })
  .strict();

export const pagerDutyModule = defineDestination({
  kind: 'pagerduty',
  schema: z
    .object({
      kind: z.literal('pagerduty'),
      routingKey: secretRefSchema,
      url: httpUrl.default(PAGERDUTY_EVENTS_URL),
      timeoutMs,
      throttleWaitMs: z.number().int().nonnegative().default(30_000),
      /**
       * Links on every incident back to the alert, e.g. Kibana filtered on the alert id. `href` is a URL template:
       * `{alert_id}`, `{event_id}`, `{key_id}`, `{rule}`, `{severity}`, `{timestamp}` are replaced, URL-encoded.
       */
      links: z.array(pagerDutyLinkSchema).max(5).default([]),
    })
    .strict(),
  create: (name, config, env) =>
    new PagerDutyDestination({
      name,
      routingKey: resolveSecret(config.routingKey, env),
      url: config.url,
      timeoutMs: config.timeoutMs,
      throttleWaitMs: config.throttleWaitMs,
      links: config.links,
    }),
  // PagerDuty allows about 120 events per minute per integration key.
  defaultRateLimit: { perSecond: 2, burst: 10 },
  capabilities: { digest: false, resolve: true, startup: false },
});
