import type { Client, ClientOptions } from '@elastic/elasticsearch';
import { type EcsAlert, isAlertUpdate } from '@keywatch/alerts';
import { resolveSecret, secretRefSchema } from '@keywatch/config';
import { z } from 'zod';
import { timeoutMs, urlWithoutCredentials } from './config-parts.ts';
import { createElasticsearchClient } from './elasticsearch-client.ts';
import { elasticsearchDocument } from './elasticsearch-document.ts';
import { classifyBulkItem, classifyRequestError } from './elasticsearch-results.ts';
import {
  ALERTS_TEMPLATE_NAME,
  alertsTarget,
  DEFAULT_ALERTS_RETENTION,
  installAlertsTemplate,
  namespaceProblem,
  type StorageMode,
} from './elasticsearch-template.ts';
import { indexUpdates } from './elasticsearch-updates.ts';
import { defineDestination } from './module.ts';
import type { DeliveryResult, Destination } from './types.ts';

export interface ElasticsearchOptions {
  name: string;
  url: string;
  namespace: string;
  /** Built from secrets at the last moment; see createDestinations. */
  auth?: ClientOptions['auth'];
  timeoutMs: number;
  /** Delivery time for `event.ingested`. */
  now?: () => Date;
  /** Refresh after each bulk so alerts are searchable at once (tests, demos); off in production. */
  refresh?: boolean;
  /**
   * False when the operator installs the template and keywatch's API key may not manage templates; `force` replaces
   * an installed template and pipeline even when they are newer or equal (default: only when absent or older).
   */
  installTemplate?: boolean | 'force';
  /** Alert retention on the data stream (`180d` by default); null keeps alerts for ever. */
  retention?: string | null;
}

export type { StorageMode };

/**
 * Elasticsearch / Elastic Security: installs the alerts index template, then bulk-`create`s alerts with
 * `_id` = alert id into `logs-keywatch.alerts-<namespace>`, classifying every item on its own. Later versions
 * of an alert replace its document only when newer (elasticsearch-updates.ts).
 */
export class ElasticsearchDestination implements Destination {
  readonly name: string;
  readonly kind = 'elasticsearch' as const;
  readonly target: string;
  readonly #client: Client;
  readonly #namespace: string;
  readonly #now: () => Date;
  readonly #refresh: boolean;
  readonly installsTemplate: boolean;
  readonly #secrets: string[];
  readonly #forceTemplate: boolean;
  readonly #retention: string | null;
  #installing: Promise<StorageMode> | null = null;

  constructor(options: ElasticsearchOptions) {
    this.name = options.name;
    this.#namespace = options.namespace;
    this.target = alertsTarget(options.namespace);
    this.#now = options.now ?? (() => new Date());
    this.#refresh = options.refresh ?? false;
    const auth = options.auth as { apiKey?: unknown; password?: unknown } | undefined;
    this.#secrets = [auth?.apiKey, auth?.password].filter((v): v is string => typeof v === 'string');
    this.installsTemplate = options.installTemplate !== false;
    this.#forceTemplate = options.installTemplate === 'force';
    this.#retention = options.retention === undefined ? DEFAULT_ALERTS_RETENTION : options.retention;
    this.#client = createElasticsearchClient({ url: options.url, auth: options.auth, timeoutMs: options.timeoutMs });
  }

  /**
   * Installs (or updates) the index template. A server that accepts a `data_stream` template has data streams;
   * one that refuses it gets the same mappings for plain indices. Resolves to the mode in use.
   */
  install(): Promise<StorageMode> {
    this.#installing ??= this.#putTemplate().catch((err: unknown) => {
      this.#installing = null; // try again on the next delivery
      throw err;
    });
    return this.#installing;
  }

  /** Start-up work for the dispatcher: the template, with a reason that names no secret when it fails. */
  async prepare(): Promise<void> {
    if (!this.installsTemplate) return;
    try {
      await this.install();
    } catch (err) {
      const result = classifyRequestError(err);
      throw new Error(
        `cannot install the index template ${ALERTS_TEMPLATE_NAME}: ${'reason' in result ? result.reason : result.status}`,
      );
    }
  }

  secretValues(): string[] {
    return [...this.#secrets];
  }

  async send(alerts: EcsAlert[]): Promise<DeliveryResult[]> {
    if (alerts.length === 0) return [];
    try {
      if (this.installsTemplate) await this.install();
    } catch (err) {
      const failed = classifyRequestError(err);
      const reason = `cannot install index template ${ALERTS_TEMPLATE_NAME}: ${'reason' in failed ? failed.reason : failed.status}`;
      // A template the server refuses is a deployment problem; the alerts wait for it to be fixed.
      return alerts.map(() => ({ status: 'retry', reason }));
    }
    const ingestedAt = this.#now();
    const document = (alert: EcsAlert) => elasticsearchDocument(alert, this.#namespace, ingestedAt);
    const firsts = alerts.filter((alert) => !isAlertUpdate(alert));
    const updates = alerts.filter(isAlertUpdate);
    const created = await this.#create(firsts, document);
    const updated = updates.length > 0 ? await indexUpdates(this.#client, this.target, updates, document, this.#refresh) : [];
    const byAlert = new Map<EcsAlert, DeliveryResult>();
    for (const [i, alert] of firsts.entries()) byAlert.set(alert, created[i]!);
    for (const [i, alert] of updates.entries()) byAlert.set(alert, updated[i]!);
    return alerts.map((alert) => byAlert.get(alert)!);
  }

  /** First versions: bulk `create` with `_id` = alert id, so a re-delivery answers 409 (already there). */
  async #create(alerts: EcsAlert[], document: (alert: EcsAlert) => Record<string, unknown>): Promise<DeliveryResult[]> {
    if (alerts.length === 0) return [];
    const operations = alerts.flatMap((alert) => [{ create: { _id: alert.keywatch.alert.id } }, document(alert)]);
    try {
      const response = await this.#client.bulk({ index: this.target, operations, refresh: this.#refresh });
      return alerts.map((_alert, i) => classifyBulkItem(response.items[i]?.create));
    } catch (err) {
      const result = classifyRequestError(err);
      return alerts.map(() => result);
    }
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  async #putTemplate(): Promise<StorageMode> {
    const outcome = await installAlertsTemplate(this.#client, { retention: this.#retention, force: this.#forceTemplate });
    return outcome.mode;
  }
}

const elasticsearchSchema = z
  .object({
    kind: z.literal('elasticsearch'),
    url: urlWithoutCredentials,
    namespace: z
      .string()
      .default('default')
      .superRefine((ns, ctx) => {
        const problem = namespaceProblem(ns);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    apiKey: secretRefSchema.optional(),
    username: z.string().min(1).optional(),
    password: secretRefSchema.optional(),
    timeoutMs: timeoutMs.default(30_000),
    refresh: z.boolean().default(false),
    // true: install the template and pipeline when absent or older; 'force': also over a newer or edited one.
    installTemplate: z.union([z.boolean(), z.literal('force')]).default(true),
    // Data stream lifecycle: how long alerts are kept (Elasticsearch time units, e.g. 90d); null keeps them for ever.
    retention: z
      .string()
      .regex(/^[1-9][0-9]*(d|h|m|s)$/, 'must be a duration such as 180d, 720h')
      .nullable()
      .default('180d'),
  })
  .strict()
  .refine((c) => (c.username === undefined) === (c.password === undefined), 'username and password go together')
  .refine((c) => !(c.apiKey && c.username), 'use either apiKey or username/password, not both');

export const elasticsearchModule = defineDestination({
  kind: 'elasticsearch',
  schema: elasticsearchSchema,
  create: (name, config, env) =>
    new ElasticsearchDestination({
      name,
      url: config.url,
      namespace: config.namespace,
      auth: elasticsearchAuth(config, env),
      timeoutMs: config.timeoutMs,
      refresh: config.refresh,
      installTemplate: config.installTemplate,
      retention: config.retention,
    }),
  capabilities: { digest: false, resolve: false, startup: true },
});

function elasticsearchAuth(
  config: z.output<typeof elasticsearchSchema>,
  env: NodeJS.ProcessEnv,
): ClientOptions['auth'] | undefined {
  if (config.apiKey) return { apiKey: resolveSecret(config.apiKey, env).reveal() };
  if (config.username && config.password)
    return { username: config.username, password: resolveSecret(config.password, env).reveal() };
  return undefined;
}
