import type { EcsAlert } from '@keywatch/alerts';

/** The values a link template can place in its URL, each taken from the alert. */
export const LINK_PLACEHOLDERS = {
  alert_id: (alert: EcsAlert) => alert.keywatch.alert.id,
  event_id: (alert: EcsAlert) => alert.event.id,
  key_id: (alert: EcsAlert) => alert.keywatch.key.id,
  rule: (alert: EcsAlert) => alert.rule.id,
  severity: (alert: EcsAlert) => alert.keywatch.alert.severity,
  timestamp: (alert: EcsAlert) => alert['@timestamp'],
} satisfies Record<string, (alert: EcsAlert) => string>;

type Placeholder = keyof typeof LINK_PLACEHOLDERS;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/**
 * The template with each `{name}` replaced by the alert's value, URL-encoded: a key id from a log (attacker
 * text) cannot add a path, query or fragment to the link.
 */
export function expandLinkTemplate(template: string, alert: EcsAlert): string {
  return template.replace(PLACEHOLDER, (_, name: string) =>
    encodeURIComponent(LINK_PLACEHOLDERS[name as Placeholder]?.(alert) ?? ''),
  );
}

/** Why a template can never give a usable link (unknown placeholder, not an http(s) URL), or null. */
export function linkTemplateProblem(template: string): string | null {
  const unknown = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !Object.hasOwn(LINK_PLACEHOLDERS, name));
  if (unknown.length > 0) {
    return `unknown placeholder {${unknown[0]}}; known: ${Object.keys(LINK_PLACEHOLDERS)
      .map((name) => `{${name}}`)
      .join(', ')}`;
  }
  const filled = template.replace(PLACEHOLDER, 'x');
  if (/[{}]/.test(filled)) return 'unbalanced "{" or "}"';
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    return 'is not a URL once its placeholders are filled';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must be an http(s) URL, not ${url.protocol}`;
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  return null;
}
