import type { EcsAlert } from '@keywatch/alerts';
import { ALERTS_DATASET } from './elasticsearch-template.ts';

/**
 * The alert as it is indexed: `event.ingested` is the delivery time (Elastic Security's External Alerts rule
 * times alerts by it, so a late re-delivery is still picked up), `data_stream.*` names where it lives and
 * `related.*` carries the pivot values Kibana's views use.
 */
export function elasticsearchDocument(alert: EcsAlert, namespace: string, ingestedAt: Date): Record<string, unknown> {
  const ip = alert.source?.ip;
  const users = [alert.user?.name, alert.user?.id].filter((u): u is string => Boolean(u));
  return {
    ...alert,
    event: { ...alert.event, ingested: ingestedAt.toISOString() },
    related: { ...(ip ? { ip: [ip] } : {}), ...(users.length > 0 ? { user: users } : {}) },
    data_stream: { type: 'logs', dataset: ALERTS_DATASET, namespace },
  };
}
