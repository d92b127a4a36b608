import { z } from 'zod';
import { DESTINATION_MODULES } from './registry.ts';

type Schemas<T extends readonly { schema: z.ZodObject }[]> = { -readonly [I in keyof T]: T[I]['schema'] };

/** One destination's section: the union of every module's schema, told apart by `kind`. */
export const destinationConfigSchema = z.discriminatedUnion(
  'kind',
  DESTINATION_MODULES.map((m) => m.schema) as Schemas<typeof DESTINATION_MODULES>,
);

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
