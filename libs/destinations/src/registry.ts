import { elasticsearchModule } from './elasticsearch.ts';
import { fileModule } from './file.ts';
import type { DestinationModule } from './module.ts';
import { pagerDutyModule } from './pagerduty.ts';
import { slackModule } from './slack.ts';
import { stdoutModule } from './stdout.ts';
import { webhookModule } from './webhook.ts';

/** Every kind of destination: the one list the config union, kinds, creation and capabilities come from. */
export const DESTINATION_MODULES = [
  elasticsearchModule,
  slackModule,
  pagerDutyModule,
  webhookModule,
  fileModule,
  stdoutModule,
] as const;

export type DestinationKind = (typeof DESTINATION_MODULES)[number]['kind'];

const BY_KIND = new Map<string, DestinationModule>(DESTINATION_MODULES.map((m) => [m.kind, m as unknown as DestinationModule]));

/** The module of a kind; throws for a kind no module has (a destination built outside the registry). */
export function destinationModule(kind: string): DestinationModule {
  const module = BY_KIND.get(kind);
  if (!module) throw new Error(`no destination module for kind ${kind}`);
  return module;
}
