import type { DestinationsConfig } from './config.ts';
import { destinationModule } from './registry.ts';
import type { Destination } from './types.ts';

/** Builds every configured destination, reading its secrets from the environment or files now, so a missing one fails at start-up. */
export function createDestinations(config: DestinationsConfig, env: NodeJS.ProcessEnv = process.env): Destination[] {
  // The union was parsed by kind: each section is its own module's schema output.
  return Object.entries(config).map(([name, settings]) => destinationModule(settings.kind).create(name, settings as never, env));
}
