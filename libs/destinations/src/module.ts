import type { z } from 'zod';
import type { Destination } from './types.ts';

/**
 * Everything keywatch knows about one kind of destination, exported by the destination's own file. The config
 * union, `DestinationKind`, creation, default rate limits and the digest/resolve/start-up capabilities are all
 * derived from the list in registry.ts: adding a destination is one file and one line there.
 */
export interface DestinationModule<K extends string = string, S extends z.ZodObject = z.ZodObject> {
  readonly kind: K;
  /** The destination's config section, `kind: <kind>` included; strict, so a misspelt field is named. */
  readonly schema: S;
  /** Builds it, reading its secrets now, so a missing variable or file fails at start-up. */
  create(name: string, config: z.output<S>, env: NodeJS.ProcessEnv): Destination;
  /** Used when `rateLimits:` says nothing for it: the service's documented limit. */
  readonly defaultRateLimit?: { perSecond: number; burst: number };
  readonly capabilities: {
    /** Its destinations have `sendDigest` (many alerts in one message). */
    digest: boolean;
    /** Its destinations have `resolve` (close what an alert opened, on `feedback --benign`). */
    resolve: boolean;
    /** Its destinations have `prepare`: start-up work that needs the network (the Elasticsearch template). */
    startup: boolean;
  };
}

/** Identity with the types checked: `create` receives the output of this module's own schema. */
export function defineDestination<K extends string, S extends z.ZodObject>(
  module: DestinationModule<K, S>,
): DestinationModule<K, S> {
  return module;
}
