import { readFileSync } from 'node:fs';

/**
 * The composable index template for alert documents. Its JSON lives in deploy/elasticsearch/ so operators can
 * install it by hand (curl, Kibana Dev Tools) and review it; keywatch installs the same file at start-up.
 */
export const ALERTS_TEMPLATE_NAME = 'keywatch-alerts';
export const ALERTS_DATASET = 'keywatch.alerts';

const TEMPLATE_FILE = new URL('../../../deploy/elasticsearch/keywatch-alerts.index-template.json', import.meta.url);

export interface AlertsIndexTemplate {
  index_patterns: string[];
  priority: number;
  data_stream?: Record<string, never>;
  _meta: Record<string, unknown>;
  template: { settings: Record<string, unknown>; mappings: Record<string, unknown> };
}

export function loadAlertsTemplate(): AlertsIndexTemplate {
  return JSON.parse(readFileSync(TEMPLATE_FILE, 'utf8')) as AlertsIndexTemplate;
}

/** The same template for servers without data streams: plain indices matched by the same pattern. */
export function withoutDataStream(template: AlertsIndexTemplate): AlertsIndexTemplate {
  const { data_stream: _dropped, ...rest } = template;
  return rest;
}

/** `logs-keywatch.alerts-<namespace>`; namespaces follow the data stream naming rules. */
export function alertsTarget(namespace: string): string {
  return `logs-${ALERTS_DATASET}-${namespace}`;
}

export function namespaceProblem(namespace: string): string | null {
  if (namespace.length === 0 || namespace.length > 100) return 'must be 1 to 100 characters';
  if (!/^[a-z0-9_.]+$/.test(namespace)) return 'may contain only lowercase letters, digits, "_" and "." (no "-")';
  return null;
}
