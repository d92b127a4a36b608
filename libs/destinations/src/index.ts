export type { DestinationConfig, DestinationsConfig } from './config.ts';
export { destinationConfigSchema, destinationsConfigSchema } from './config.ts';
export { createDestinations } from './create.ts';
export type { ElasticsearchOptions, StorageMode } from './elasticsearch.ts';
export { ElasticsearchDestination } from './elasticsearch.ts';
export { createElasticsearchClient } from './elasticsearch-client.ts';
export { elasticsearchDocument } from './elasticsearch-document.ts';
export { classifyBulkItem, classifyRequestError } from './elasticsearch-results.ts';
export type { InstallOutcome, TemplateInstallOptions } from './elasticsearch-template.ts';
export {
  ALERTS_CUSTOM_TEMPLATE,
  ALERTS_PIPELINE_NAME,
  ALERTS_TEMPLATE_NAME,
  alertsTarget,
  installAlertsTemplate,
  loadAlertsPipeline,
  loadAlertsTemplate,
} from './elasticsearch-template.ts';
export { FileDestination } from './file.ts';
export { expandLinkTemplate, LINK_PLACEHOLDERS, linkTemplateProblem } from './link-template.ts';
export type { DestinationModule } from './module.ts';
export { defineDestination } from './module.ts';
export { PAGERDUTY_EVENTS_URL, PagerDutyDestination } from './pagerduty.ts';
export type { PagerDutyLink } from './pagerduty-event.ts';
export { PAGERDUTY_SEVERITY, pagerDutyTrigger } from './pagerduty-event.ts';
export type { DestinationKind } from './registry.ts';
export { DESTINATION_MODULES, destinationModule } from './registry.ts';
export { parseRetryAfter } from './retry-after.ts';
export type { WebhookVerdict } from './signature.ts';
export {
  DEFAULT_TOLERANCE_SECONDS,
  signingKey,
  signWebhook,
  verifyWebhook,
  WEBHOOK_HEADERS,
  webhookHeaders,
} from './signature.ts';
export { SlackDestination } from './slack.ts';
export { SLACK_LIMITS, slackAlertMessage, slackDigestMessage, slackUpdateMessage } from './slack-message.ts';
export { StdoutDestination } from './stdout.ts';
export type { DeliveryResult, Destination } from './types.ts';
export { WebhookDestination } from './webhook.ts';
