import type { ClientOptions } from '@elastic/elasticsearch';
import { resolveSecret } from '@keywatch/config';
import type { DestinationConfig, DestinationsConfig } from './config.ts';
import { ElasticsearchDestination } from './elasticsearch.ts';
import { FileDestination } from './file.ts';
import { PagerDutyDestination } from './pagerduty.ts';
import { SlackDestination } from './slack.ts';
import { StdoutDestination } from './stdout.ts';
import type { Destination } from './types.ts';
import { WebhookDestination } from './webhook.ts';

/** Builds every configured destination, reading its secrets from the environment or files now, so a missing one fails at start-up. */
export function createDestinations(config: DestinationsConfig, env: NodeJS.ProcessEnv = process.env): Destination[] {
  return Object.entries(config).map(([name, settings]) => createDestination(name, settings, env));
}

function createDestination(name: string, config: DestinationConfig, env: NodeJS.ProcessEnv): Destination {
  switch (config.kind) {
    case 'elasticsearch':
      return new ElasticsearchDestination({
        name,
        url: config.url,
        namespace: config.namespace,
        auth: elasticsearchAuth(config, env),
        timeoutMs: config.timeoutMs,
        refresh: config.refresh,
        installTemplate: config.installTemplate,
      });
    case 'slack':
      return new SlackDestination({ name, webhookUrl: resolveSecret(config.webhookUrl, env), timeoutMs: config.timeoutMs });
    case 'pagerduty':
      return new PagerDutyDestination({
        name,
        routingKey: resolveSecret(config.routingKey, env),
        url: config.url,
        timeoutMs: config.timeoutMs,
        throttleWaitMs: config.throttleWaitMs,
      });
    case 'webhook':
      return new WebhookDestination({
        name,
        url: resolveSecret(config.url, env),
        signingSecret: resolveSecret(config.signingSecret, env),
        timeoutMs: config.timeoutMs,
      });
    case 'file':
      return new FileDestination({ name, path: config.path });
    case 'stdout':
      return new StdoutDestination({ name });
  }
}

function elasticsearchAuth(
  config: Extract<DestinationConfig, { kind: 'elasticsearch' }>,
  env: NodeJS.ProcessEnv,
): ClientOptions['auth'] | undefined {
  if (config.apiKey) return { apiKey: resolveSecret(config.apiKey, env).reveal() };
  if (config.username && config.password)
    return { username: config.username, password: resolveSecret(config.password, env).reveal() };
  return undefined;
}
