import { alertRevision, type EcsAlert, isAlertUpdate } from '@keywatch/alerts';
import { escapeMrkdwn, plainText, truncate } from './text.ts';

/** Slack Block Kit limits (docs.slack.dev block reference), kept with a margin. */
export const SLACK_LIMITS = { headerText: 150, sectionText: 3000, fieldText: 2000, fields: 10, fallbackText: 3000 };

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
  /** No automatic parsing of the top-level text: names and URLs stay text. */
  parse: 'none';
  link_names: false;
  unfurl_links: false;
  unfurl_media: false;
}

/**
 * Every mrkdwn object is `verbatim`: Slack then leaves bare URLs, channel names and `@here` alone. Values are
 * escaped with escapeMrkdwn before they get here; only keywatch's own `*bold*` labels are markup.
 */
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text, verbatim: true });
const plain = (text: string) => ({ type: 'plain_text', text: truncate(plainText(text), SLACK_LIMITS.headerText) });

function message(text: string, blocks: Record<string, unknown>[]): SlackMessage {
  return {
    text: truncate(text, SLACK_LIMITS.fallbackText),
    blocks,
    parse: 'none',
    link_names: false,
    unfurl_links: false,
    unfurl_media: false,
  };
}

/** The fields of the evidence block: what a responder checks first. */
function evidenceFields(alert: EcsAlert): string[] {
  const { source } = alert;
  const key = alert.keywatch.key;
  const fields: [string, string | number | undefined | null][] = [
    ['Owner', key.owner ?? 'unknown (not in the key registry)'],
    ['Severity', `${alert.keywatch.alert.severity} (risk ${alert.event.risk_score})`],
    ['Source IP', source?.ip ?? source?.address],
    ['Country', source?.geo?.country_iso_code],
    [
      'ASN',
      source?.as?.number === undefined
        ? undefined
        : `AS${source.as.number}${source.as.organization ? ` ${source.as.organization.name}` : ''}`,
    ],
    ['Action', `${alert.event.action} (${alert.event.outcome})`],
    ['Count', alert.keywatch.alert.count],
  ];
  return fields
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .slice(0, SLACK_LIMITS.fields)
    .map(([label, value]) => truncate(`*${label}*\n${escapeMrkdwn(String(value))}`, SLACK_LIMITS.fieldText));
}

/** One alert as an incoming-webhook message: header, sentence, evidence, broken baseline, alert id. */
export function slackAlertMessage(alert: EcsAlert): SlackMessage {
  const severity = alert.keywatch.alert.severity.toUpperCase();
  const keyId = alert.keywatch.key.id;
  return message(`keywatch ${severity}: ${escapeMrkdwn(alert.message)}`, [
    { type: 'header', text: plain(`${severity} · ${alert.rule.id} · ${keyId}`) },
    {
      type: 'section',
      text: mrkdwn(truncate(escapeMrkdwn(alert.message), SLACK_LIMITS.sectionText)),
      fields: evidenceFields(alert).map(mrkdwn),
    },
    {
      type: 'section',
      text: mrkdwn(truncate(`*Baseline broken*\n${escapeMrkdwn(alert.keywatch.baseline)}`, SLACK_LIMITS.sectionText)),
    },
    {
      type: 'context',
      elements: [
        mrkdwn(escapeMrkdwn(`alert id ${alert.keywatch.alert.id} · rule ${alert.rule.id} · ${alert['@timestamp']}`)),
        // The key's report page (keywatch run --report-url): what this key normally does.
        ...(alert.event.reference ? [mrkdwn(`<${slackUrl(alert.event.reference)}|what this key normally does>`)] : []),
      ],
    },
  ]);
}

/**
 * The one follow-up for an alert that grew: its final count and evidence, naming the alert it belongs to.
 * Incoming webhooks cannot edit the first message, so this is a short second one, sent once per alert.
 */
export function slackUpdateMessage(alert: EcsAlert): SlackMessage {
  const severity = alert.keywatch.alert.severity.toUpperCase();
  const count = alertRevision(alert);
  const ids = alert.keywatch.evidence.event_ids.length;
  const summary = `${count} findings grouped into alert ${alert.keywatch.alert.id} (${alert.rule.id} on ${alert.keywatch.key.id}), evidence: ${ids} event id${ids === 1 ? '' : 's'}`;
  return message(`keywatch ${severity} update: ${escapeMrkdwn(summary)}`, [
    {
      type: 'section',
      text: mrkdwn(truncate(`*Update* · ${escapeMrkdwn(summary)}\n${escapeMrkdwn(alert.message)}`, SLACK_LIMITS.sectionText)),
    },
  ]);
}

/** A URL inside Slack's `<url|text>` link syntax: the characters that would end it are percent-encoded. */
function slackUrl(url: string): string {
  return url.replace(/[<>|]/g, (c) => encodeURIComponent(c));
}

/** Many low-severity alerts as one summary message: counts per detector, then one line per alert while room lasts. */
export function slackDigestMessage(alerts: EcsAlert[]): SlackMessage {
  const byRule = new Map<string, number>();
  for (const alert of alerts) byRule.set(alert.rule.id, (byRule.get(alert.rule.id) ?? 0) + 1);
  const counts = [...byRule].map(([rule, n]) => `${rule} ×${n}`).join(', ');
  const title = `keywatch digest: ${alerts.length} low-severity alert${alerts.length === 1 ? '' : 's'}`;
  const lines: string[] = [];
  let used = 0;
  for (const alert of alerts) {
    const grown = isAlertUpdate(alert) ? ` ×${alertRevision(alert)}` : '';
    const line = `• \`${escapeMrkdwn(alert.rule.id)}\`${grown} ${escapeMrkdwn(truncate(alert.message, 200))} _(${escapeMrkdwn(alert.keywatch.alert.id)})_`;
    const more = `\n…and ${alerts.length - lines.length} more`;
    if (used + line.length + 1 + more.length > SLACK_LIMITS.sectionText) {
      lines.push(more.trim());
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return message(`${title}: ${escapeMrkdwn(counts)}`, [
    { type: 'header', text: plain(title) },
    { type: 'section', text: mrkdwn(truncate(escapeMrkdwn(counts), SLACK_LIMITS.sectionText)) },
    { type: 'section', text: mrkdwn(lines.join('\n')) },
  ]);
}
