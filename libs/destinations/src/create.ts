import type { ClientOptions } from '@elastic/elasticsearch';
import { ConfigError, resolveSecret, type Secret, type SecretRef } from '@keywatch/config';
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

/**
 * A URL that comes from a secret can only be checked once read: one that can never work (malformed, another
 * scheme) fails at start naming the field, instead of being retried at every delivery. The value is never quoted.
 */
function urlSecret(ref: SecretRef, env: NodeJS.ProcessEnv, field: string): Secret {
  const secret = resolveSecret(ref, env);
  let problem: string | null = null;
  try {
    const url = new URL(secret.reveal());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') problem = `must be an http(s) URL, not ${url.protocol}`;
  } catch {
    problem = 'is not a valid URL';
  }
  if (problem) throw new ConfigError('delivery configuration', [`${field}: the value of ${secret.source} ${problem}`]);
  return secret;
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
        retention: config.retention,
      });
    case 'slack':
      return new SlackDestination({
        name,
        webhookUrl: urlSecret(config.webhookUrl, env, `destinations.${name}.webhookUrl`),
        timeoutMs: config.timeoutMs,
      });
    case 'pagerduty':
      return new PagerDutyDestination({
        name,
        routingKey: resolveSecret(config.routingKey, env),
        url: config.url,
        timeoutMs: config.timeoutMs,
        throttleWaitMs: config.throttleWaitMs,
        links: config.links,
      });
    case 'webhook':
      return new WebhookDestination({
        name,
        url: urlSecret(config.url, env, `destinations.${name}.url`),
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
