import { alertRevision, type EcsAlert, isAlertUpdate, type SeverityLabel } from '@keywatch/alerts';
import { expandLinkTemplate } from './link-template.ts';
import { plainText, truncate } from './text.ts';

/** A configured incident link: `href` is a template (link-template.ts), `text` is shown as is. */
export interface PagerDutyLink {
  href: string;
  text: string;
}

export const PAGERDUTY_SEVERITY: Record<SeverityLabel, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

/**
 * A PagerDuty Events API v2 `trigger`. `dedup_key` is the alert group's id, so re-delivery after a crash
 * and the final version of a grouped alert update one incident (PagerDuty adds it to the alert's log) instead
 * of opening new ones. Shown texts are plain text: control characters and escape sequences from the record
 * are removed (PagerDuty's summary reaches SMS, push and e-mail).
 */
export function pagerDutyTrigger(
  alert: EcsAlert,
  routingKey: string,
  linkTemplates: PagerDutyLink[] = [],
): Record<string, unknown> {
  const key = alert.keywatch.key;
  const links = linkTemplates.map((link) => ({ href: expandLinkTemplate(link.href, alert), text: link.text }));
  // The key's report page (keywatch run --report-url), shown as a link on the incident.
  if (alert.event.reference) links.push({ href: alert.event.reference, text: 'keywatch: what this key normally does' });
  const account = alert.cloud?.account?.id;
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: truncate(alert.keywatch.alert.id, 255),
    payload: {
      summary: truncate(plainText(`${isAlertUpdate(alert) ? `(${alertRevision(alert)} findings) ` : ''}${alert.message}`), 1024),
      source: truncate(plainText([alert.event.provider, account, key.id].filter(Boolean).join('/')), 255),
      severity: PAGERDUTY_SEVERITY[alert.keywatch.alert.severity],
      timestamp: alert['@timestamp'],
      component: truncate(plainText(alert.event.action), 255),
      group: truncate(plainText(key.owner ?? 'unowned'), 255),
      class: plainText(alert.rule.id),
      custom_details: {
        key_id: key.id,
        owner: key.owner,
        declared_scope: key.scope,
        rule: alert.rule.id,
        reason: alert.keywatch.reason,
        baseline: alert.keywatch.baseline,
        source_ip: alert.source?.ip ?? alert.source?.address ?? null,
        country: alert.source?.geo?.country_iso_code ?? null,
        asn: alert.source?.as?.number ?? null,
        action: alert.event.action,
        outcome: alert.event.outcome,
        count: alert.keywatch.alert.count,
        risk_score: alert.event.risk_score,
        evidence_event_ids: alert.keywatch.evidence.event_ids,
        alert_id: alert.keywatch.alert.id,
      },
    },
    client: 'keywatch',
    ...(links.length > 0 ? { links } : {}),
  };
}
