import { readFileSync } from 'node:fs';
import type { Client } from '@elastic/elasticsearch';

/**
 * The composable index template for alert documents. Its JSON lives in deploy/elasticsearch/ so operators can
 * install it by hand (curl, Kibana Dev Tools) and review it; keywatch installs the same file at start-up.
 */
export const ALERTS_TEMPLATE_NAME = 'keywatch-alerts';
export const ALERTS_DATASET = 'keywatch.alerts';
/** Sets `event.ingested` from the cluster's clock, then runs the operator's `keywatch.alerts@custom` pipeline if any. */
export const ALERTS_PIPELINE_NAME = 'keywatch.alerts@default-pipeline';
/** The operator's hook: keywatch composes it into its template and never writes it. */
export const ALERTS_CUSTOM_TEMPLATE = 'keywatch.alerts@custom';
export const DEFAULT_ALERTS_RETENTION = '180d';

const deployFile = (name: string) => new URL(`../../../deploy/elasticsearch/${name}`, import.meta.url);

export interface AlertsIndexTemplate {
  index_patterns: string[];
  priority: number;
  /** Ours, compared with the installed one's: keywatch only ever replaces an older template. */
  version: number;
  data_stream?: Record<string, never>;
  composed_of: string[];
  ignore_missing_component_templates: string[];
  _meta: Record<string, unknown>;
  template: {
    settings: { index: Record<string, unknown> };
    lifecycle?: { data_retention?: string };
    mappings: Record<string, unknown>;
  };
}

export interface IngestPipeline {
  description: string;
  version: number;
  processors: Record<string, unknown>[];
  _meta: Record<string, unknown>;
}

export function loadAlertsTemplate(): AlertsIndexTemplate {
  return JSON.parse(readFileSync(deployFile('keywatch-alerts.index-template.json'), 'utf8')) as AlertsIndexTemplate;
}

export function loadAlertsPipeline(): IngestPipeline {
  return JSON.parse(readFileSync(deployFile('keywatch-alerts.ingest-pipeline.json'), 'utf8')) as IngestPipeline;
}

/**
 * The same template for servers without data streams: plain indices matched by the same pattern (a data
 * stream lifecycle means nothing there).
 */
export function withoutDataStream(template: AlertsIndexTemplate): AlertsIndexTemplate {
  const { data_stream: _dropped, ...rest } = template;
  const { lifecycle: _lifecycle, ...inner } = rest.template;
  return { ...rest, template: inner };
}

export interface TemplateInstallOptions {
  /** How long alerts are kept (`30d`, `1y`…); null keeps them for ever. */
  retention: string | null;
  /** Replace the installed template and pipeline even when they are newer or equal (an operator's explicit choice). */
  force: boolean;
}

export type StorageMode = 'data_stream' | 'index';

export interface InstallOutcome {
  mode: StorageMode;
  /** `kept`: an installed template of the same or a newer version was left alone. */
  template: 'installed' | 'kept';
  /** `unsupported`: the cluster has no ingest processors (a minimal build); `event.ingested` then stays keywatch's. */
  pipeline: 'installed' | 'kept' | 'unsupported';
}

/**
 * Installs the ingest pipeline and the index template when they are absent or older than ours, never over a
 * newer or equal version (so an operator's edit that keeps or raises `version` survives restarts), unless forced.
 */
export async function installAlertsTemplate(client: Client, options: TemplateInstallOptions): Promise<InstallOutcome> {
  const pipeline = await installPipeline(client, options.force);
  const template = loadAlertsTemplate();
  if (options.retention === null) delete template.template.lifecycle;
  else template.template.lifecycle = { data_retention: options.retention };
  if (pipeline === 'unsupported') delete template.template.settings.index.default_pipeline;

  const installed = await installedTemplate(client);
  if (installed && !options.force && (installed.version ?? 0) >= template.version) {
    return { mode: installed.data_stream ? 'data_stream' : 'index', template: 'kept', pipeline };
  }
  try {
    await client.indices.putIndexTemplate({ name: ALERTS_TEMPLATE_NAME, ...template });
    return { mode: 'data_stream', template: 'installed', pipeline };
  } catch (err) {
    if (!isDataStreamRefusal(err)) throw err;
  }
  await client.indices.putIndexTemplate({ name: ALERTS_TEMPLATE_NAME, ...withoutDataStream(template) });
  return { mode: 'index', template: 'installed', pipeline };
}

async function installedTemplate(client: Client): Promise<{ version?: number; data_stream?: unknown } | null> {
  try {
    const found = await client.indices.getIndexTemplate({ name: ALERTS_TEMPLATE_NAME });
    return (found.index_templates[0]?.index_template as { version?: number; data_stream?: unknown } | undefined) ?? null;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return null;
    throw err;
  }
}

async function installPipeline(client: Client, force: boolean): Promise<InstallOutcome['pipeline']> {
  const ours = loadAlertsPipeline();
  let installed: { version?: number } | undefined;
  try {
    installed = (await client.ingest.getPipeline({ id: ALERTS_PIPELINE_NAME }))[ALERTS_PIPELINE_NAME];
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
  if (installed && !force && (installed.version ?? 0) >= ours.version) return 'kept';
  try {
    await client.ingest.putPipeline({ id: ALERTS_PIPELINE_NAME, ...ours } as never);
    return 'installed';
  } catch (err) {
    // A build without the ingest-common module (Elasticsearch's minimal integ-test distribution) knows no `set`.
    if (/No processor type exists/i.test(JSON.stringify((err as { body?: unknown }).body ?? ''))) return 'unsupported';
    throw err;
  }
}

/** A 400 that names data streams: the server (old, or a stripped-down build) cannot hold them. */
function isDataStreamRefusal(err: unknown): boolean {
  const e = err as { statusCode?: number; body?: unknown };
  return e?.statusCode === 400 && /data[_ ]stream/i.test(JSON.stringify(e.body ?? ''));
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
