import { secretRefSchema } from '@keywatch/config';
import { z } from 'zod';
import { namespaceProblem } from './elasticsearch-template.ts';
import { linkTemplateProblem } from './link-template.ts';
import { PAGERDUTY_EVENTS_URL } from './pagerduty.ts';

const timeoutMs = z.number().int().positive().max(300_000).default(10_000);

const httpUrl = z.url({ protocol: /^https?$/ });

/** A plain URL that must not carry credentials: those belong in secret references. */
const urlWithoutCredentials = httpUrl.refine((url) => {
  const parsed = new URL(url);
  return parsed.username === '' && parsed.password === '';
}, 'must not contain credentials; use apiKey or username/password secret references');

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

const slackSchema = z.object({ kind: z.literal('slack'), webhookUrl: secretRefSchema, timeoutMs }).strict();

const pagerDutyLinkSchema = z
  .object({
    href: z.string().superRefine((template, ctx) => {
      const problem = linkTemplateProblem(template);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    text: z.string().min(1).max(256).default('Open the alert'),
  })
  .strict();

const pagerDutySchema = z
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
  .strict();

const webhookSchema = z
  .object({ kind: z.literal('webhook'), url: secretRefSchema, signingSecret: secretRefSchema, timeoutMs })
  .strict();

const fileSchema = z.object({ kind: z.literal('file'), path: z.string().min(1) }).strict();

const stdoutSchema = z.object({ kind: z.literal('stdout') }).strict();

export const destinationConfigSchema = z.discriminatedUnion('kind', [
  elasticsearchSchema,
  slackSchema,
  pagerDutySchema,
  webhookSchema,
  fileSchema,
  stdoutSchema,
]);

/**
 * The `destinations:` section: a map from destination name (used by routes, rate limits and stats) to its
 * settings. Every credential is a secret reference (`env:NAME` or `file:/path`), never a literal.
 */
export const destinationsConfigSchema = z.record(
  z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'destination names use lowercase letters, digits, ".", "_" and "-"'),
  destinationConfigSchema,
);

export type DestinationConfig = z.output<typeof destinationConfigSchema>;
export type DestinationsConfig = z.output<typeof destinationsConfigSchema>;
