import { DESTINATION_MODULES } from '@keywatch/destinations';
import { z } from 'zod';

const DIGEST_KINDS = DESTINATION_MODULES.filter((m) => m.capabilities.digest)
  .map((m) => m.kind)
  .join(', ');

const severity = z.enum(['low', 'medium', 'high', 'critical']);

const routeSchema = z
  .object({
    /** All given conditions must hold; within one list, any value matches. An empty match takes every alert. */
    match: z
      .object({
        severity: z.array(severity).min(1).optional(),
        minSeverity: severity.optional(),
        detector: z.array(z.string().min(1)).min(1).optional(),
        owner: z.array(z.string().min(1)).min(1).optional(),
        tags: z.array(z.string().min(1)).min(1).optional(),
      })
      .strict()
      .default({}),
    to: z.array(z.string().min(1)).min(1),
    /** Stop looking at later routes once this one matched. */
    stop: z.boolean().default(false),
  })
  .strict();

const rateLimitSchema = z
  .object({
    perSecond: z.number().positive(),
    burst: z.number().int().positive().default(1),
  })
  .strict();

const digestSchema = z
  .object({
    /** Destinations that get these alerts as one periodic summary instead of one message each. */
    destinations: z.array(z.string().min(1)).min(1),
    severities: z.array(severity).min(1).default(['low']),
    intervalSeconds: z.number().positive().default(3600),
    /** Most alerts summarised in one digest message; more go into the next one. */
    maxAlerts: z.number().int().positive().default(500),
  })
  .strict();

const retrySchema = z
  .object({
    baseDelayMs: z.number().int().positive().default(1000),
    maxDelayMs: z.number().int().positive().default(300_000),
    /**
     * Attempts before an alert goes to the dead letter with its last reason. With the defaults, 30 attempts ride
     * out about 1 to 2 hours of outage (the delay is capped at 5 minutes).
     */
    maxAttempts: z.number().int().positive().default(30),
    /** Items taken from the queue per destination per attempt (one Elasticsearch bulk request). */
    batchSize: z.number().int().positive().max(5000).default(200),
    /** How often an idle destination loop looks at the queue. */
    pollIntervalMs: z.number().int().positive().default(1000),
  })
  .strict()
  .refine((r) => r.maxDelayMs >= r.baseDelayMs, 'maxDelayMs must be at least baseDelayMs');

/**
 * The `routes:`, `rateLimits:`, `digest:` and `retry:` sections. Without routes every alert goes to every
 * destination.
 */
export const dispatchConfigSchema = z
  .object({
    routes: z.array(routeSchema).optional(),
    rateLimits: z.record(z.string(), rateLimitSchema).default({}),
    digest: digestSchema.optional(),
    retry: retrySchema.default({
      baseDelayMs: 1000,
      maxDelayMs: 300_000,
      maxAttempts: 30,
      batchSize: 200,
      pollIntervalMs: 1000,
    }),
  })
  .strict();

export type DispatchConfig = z.output<typeof dispatchConfigSchema>;
export type DispatchConfigInput = z.input<typeof dispatchConfigSchema>;
export type Route = z.output<typeof routeSchema>;
export type RateLimit = z.output<typeof rateLimitSchema>;
export type DigestConfig = z.output<typeof digestSchema>;

/** Names that routes, rate limits and digest use but no destination has: each as `path: problem`. */
export function unknownDestinationProblems(config: DispatchConfig, destinations: { name: string; digest: boolean }[]): string[] {
  const known = new Map(destinations.map((d) => [d.name, d]));
  const problems: string[] = [];
  for (const [i, route] of (config.routes ?? []).entries()) {
    for (const [j, name] of route.to.entries()) {
      if (!known.has(name)) problems.push(`routes[${i}].to[${j}]: unknown destination "${name}"`);
    }
  }
  for (const name of Object.keys(config.rateLimits)) {
    if (!known.has(name)) problems.push(`rateLimits.${name}: unknown destination "${name}"`);
  }
  for (const [i, name] of (config.digest?.destinations ?? []).entries()) {
    const destination = known.get(name);
    if (!destination) problems.push(`digest.destinations[${i}]: unknown destination "${name}"`);
    else if (!destination.digest)
      problems.push(`digest.destinations[${i}]: destination "${name}" cannot send digests (kinds that can: ${DIGEST_KINDS})`);
  }
  return problems;
}
