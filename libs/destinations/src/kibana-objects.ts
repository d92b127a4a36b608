/**
 * Kibana content for keywatch alerts, generated from the detector vocabulary so every rule keywatch can raise
 * has its Elastic Security rule (`npm run kibana-objects` writes deploy/elasticsearch/kibana/):
 *
 * - detection rules, one per keywatch rule, for the Detection Engine's import API
 *   (`POST /api/detection_engine/rules/_import`): each turns keywatch alerts of its rule into Elastic Security
 *   alerts named after `rule.name` (not the sentence in `message`, so they group by rule), with keywatch's
 *   severity and risk score carried over and the MITRE ATT&CK technique of that rule;
 * - saved objects (`POST /api/saved_objects/_import`): a data view over the alerts data stream and a dashboard.
 */

import { SEVERITY_NUMBER, type SeverityLabel } from '@keywatch/alerts';
import { DETECTOR_IDS, DETECTOR_NAMES, type DetectorId } from '@keywatch/detect';
import { ALERTS_DATASET } from './elasticsearch-template.ts';

interface Technique {
  id: string;
  name: string;
  sub?: { id: string; name: string };
}
interface Threat {
  tactic: { id: string; name: string };
  technique: Technique;
}

const TACTICS = {
  initialAccess: { id: 'TA0001', name: 'Initial Access' },
  persistence: { id: 'TA0003', name: 'Persistence' },
  privilegeEscalation: { id: 'TA0004', name: 'Privilege Escalation' },
  defenseEvasion: { id: 'TA0005', name: 'Defense Evasion' },
  credentialAccess: { id: 'TA0006', name: 'Credential Access' },
  discovery: { id: 'TA0007', name: 'Discovery' },
  collection: { id: 'TA0009', name: 'Collection' },
} as const;

const CLOUD_ACCOUNTS: Technique = { id: 'T1078', name: 'Valid Accounts', sub: { id: 'T1078.004', name: 'Cloud Accounts' } };

/**
 * What an attacker holding the key is doing when each rule fires, in ATT&CK terms. A stolen key is "valid
 * cloud accounts" for most rules; the rest name the behaviour the rule sees.
 */
export const RULE_THREATS: Record<DetectorId | 'instance_credentials_exfiltration', Threat> = {
  new_ip: { tactic: TACTICS.initialAccess, technique: CLOUD_ACCOUNTS },
  new_asn: { tactic: TACTICS.initialAccess, technique: CLOUD_ACCOUNTS },
  new_country: { tactic: TACTICS.initialAccess, technique: CLOUD_ACCOUNTS },
  impossible_travel: { tactic: TACTICS.initialAccess, technique: CLOUD_ACCOUNTS },
  off_hours: { tactic: TACTICS.initialAccess, technique: CLOUD_ACCOUNTS },
  dormant_key: { tactic: TACTICS.persistence, technique: CLOUD_ACCOUNTS },
  key_age: { tactic: TACTICS.persistence, technique: CLOUD_ACCOUNTS },
  write_on_read_only: { tactic: TACTICS.privilegeEscalation, technique: CLOUD_ACCOUNTS },
  new_user_agent: {
    tactic: TACTICS.defenseEvasion,
    technique: {
      id: 'T1550',
      name: 'Use Alternate Authentication Material',
      sub: { id: 'T1550.001', name: 'Application Access Token' },
    },
  },
  failure_spike: { tactic: TACTICS.discovery, technique: { id: 'T1526', name: 'Cloud Service Discovery' } },
  volume_spike: { tactic: TACTICS.collection, technique: { id: 'T1530', name: 'Data from Cloud Storage' } },
  secret_in_logs: {
    tactic: TACTICS.credentialAccess,
    technique: { id: 'T1552', name: 'Unsecured Credentials', sub: { id: 'T1552.001', name: 'Credentials In Files' } },
  },
  instance_credentials_exfiltration: {
    tactic: TACTICS.credentialAccess,
    technique: { id: 'T1552', name: 'Unsecured Credentials', sub: { id: 'T1552.005', name: 'Cloud Instance Metadata API' } },
  },
};

export const ALERTS_INDEX_PATTERN = `logs-${ALERTS_DATASET}-*`;
export const DATA_VIEW_ID = 'keywatch-alerts';
const ATTACK = 'https://attack.mitre.org';

/** Stable rule ids: re-importing with `overwrite=true` updates the same rules. */
export function kibanaRuleId(rule: string): string {
  return `keywatch-${rule.replaceAll('_', '-')}`;
}

function threatOf(t: Threat) {
  const technique = {
    id: t.technique.id,
    name: t.technique.name,
    reference: `${ATTACK}/techniques/${t.technique.id}/`,
    ...(t.technique.sub
      ? {
          subtechnique: [
            {
              id: t.technique.sub.id,
              name: t.technique.sub.name,
              reference: `${ATTACK}/techniques/${t.technique.sub.id.replace('.', '/')}/`,
            },
          ],
        }
      : {}),
  };
  return [
    {
      framework: 'MITRE ATT&CK',
      tactic: { ...t.tactic, reference: `${ATTACK}/tactics/${t.tactic.id}/` },
      technique: [technique],
    },
  ];
}

const SEVERITIES = Object.entries(SEVERITY_NUMBER) as [SeverityLabel, number][];

export function detectionRules(rules: readonly string[] = DETECTOR_IDS): Record<string, unknown>[] {
  return rules.map((rule) => {
    const threat = RULE_THREATS[rule as keyof typeof RULE_THREATS];
    if (threat === undefined) throw new Error(`no MITRE ATT&CK mapping for keywatch rule ${rule} (RULE_THREATS)`);
    const name = (DETECTOR_NAMES as Record<string, string>)[rule] ?? rule;
    return {
      rule_id: kibanaRuleId(rule),
      name: `keywatch: ${name}`,
      description: `Raises an Elastic Security alert for each keywatch alert of rule ${rule} ("${name}"): keywatch judged a call against the credential's own baseline. The alert's message says what happened and what the baseline was.`,
      type: 'query',
      language: 'kuery',
      index: [ALERTS_INDEX_PATTERN],
      query: `event.kind: "alert" and rule.ruleset: "keywatch" and rule.id: "${rule}"`,
      // keywatch's own severity and risk travel with each alert; these are the defaults for documents without them.
      severity: 'medium',
      risk_score: 47,
      severity_mapping: SEVERITIES.map(([severity, value]) => ({
        field: 'event.severity',
        operator: 'equals',
        value: String(value),
        severity,
      })),
      risk_score_mapping: [{ field: 'event.risk_score', operator: 'equals', value: '' }],
      // Named after the keywatch rule, so Elastic Security groups them; the sentence stays in `message`.
      rule_name_override: 'rule.name',
      // Alerts can arrive long after the call they are about (a replay, a retried delivery): judge by arrival.
      timestamp_override: 'event.ingested',
      from: 'now-6m',
      interval: '5m',
      max_signals: 1000,
      enabled: true,
      author: ['keywatch'],
      license: 'Apache-2.0',
      tags: ['keywatch', 'Domain: Cloud', 'Use Case: Identity and Access Audit', `keywatch rule: ${rule}`],
      threat: threatOf(threat),
      references: ['https://github.com/keywatch/keywatch/blob/main/docs/detection.md'],
      version: 1,
    };
  });
}

function savedSearchSource(query: string): string {
  return JSON.stringify({
    query: { query, language: 'kuery' },
    filter: [],
    indexRefName: 'kibanaSavedObjectMeta.searchSourceJSON.index',
  });
}

interface Panel {
  id: string;
  title: string;
  visState: Record<string, unknown>;
  grid: { x: number; y: number; w: number; h: number };
}

const count = { id: '1', enabled: true, type: 'count', schema: 'metric', params: {} };
const terms = (id: string, field: string, schema: string, size: number) => ({
  id,
  enabled: true,
  type: 'terms',
  schema,
  params: { field, size, order: 'desc', orderBy: '1', otherBucket: true, missingBucket: false },
});

const PANELS: Panel[] = [
  {
    id: 'keywatch-alerts-over-time',
    title: 'keywatch alerts over time, by rule',
    grid: { x: 0, y: 0, w: 32, h: 15 },
    visState: {
      type: 'histogram',
      params: { type: 'histogram', addLegend: true, legendPosition: 'right', addTooltip: true },
      aggs: [
        count,
        {
          id: '2',
          enabled: true,
          type: 'date_histogram',
          schema: 'segment',
          params: { field: '@timestamp', interval: 'auto', min_doc_count: 1, extended_bounds: {} },
        },
        terms('3', 'rule.name', 'group', 15),
      ],
    },
  },
  {
    id: 'keywatch-alerts-by-severity',
    title: 'keywatch alerts by severity',
    grid: { x: 32, y: 0, w: 16, h: 15 },
    visState: {
      type: 'pie',
      params: { type: 'pie', addLegend: true, legendPosition: 'right', isDonut: true },
      aggs: [count, terms('2', 'keywatch.alert.severity', 'segment', 4)],
    },
  },
  {
    id: 'keywatch-top-keys',
    title: 'keys with the most keywatch alerts',
    grid: { x: 0, y: 15, w: 24, h: 15 },
    visState: {
      type: 'table',
      params: { perPage: 10, showPartialRows: false, showMetricsAtAllLevels: false },
      aggs: [count, terms('2', 'keywatch.key.id', 'bucket', 20), terms('3', 'keywatch.key.owner', 'bucket', 1)],
    },
  },
  {
    id: 'keywatch-alert-countries',
    title: 'countries keywatch alerts come from',
    grid: { x: 24, y: 15, w: 24, h: 15 },
    visState: {
      type: 'table',
      params: { perPage: 10, showPartialRows: false, showMetricsAtAllLevels: false },
      aggs: [count, terms('2', 'source.geo.country_iso_code', 'bucket', 20), terms('3', 'rule.name', 'bucket', 5)],
    },
  },
];

/** The data view, one visualization per panel, a saved search of the alert sentences, and the dashboard. */
export function savedObjects(): Record<string, unknown>[] {
  const dataViewRef = (name: string) => ({ name, type: 'index-pattern', id: DATA_VIEW_ID });
  const dataView = {
    id: DATA_VIEW_ID,
    type: 'index-pattern',
    attributes: { title: ALERTS_INDEX_PATTERN, name: 'keywatch alerts', timeFieldName: '@timestamp' },
    references: [],
  };
  const visualizations = PANELS.map((p) => ({
    id: p.id,
    type: 'visualization',
    attributes: {
      title: p.title,
      description: '',
      visState: JSON.stringify({ title: p.title, ...p.visState }),
      uiStateJSON: '{}',
      version: 1,
      kibanaSavedObjectMeta: { searchSourceJSON: savedSearchSource('') },
    },
    references: [dataViewRef('kibanaSavedObjectMeta.searchSourceJSON.index')],
  }));
  const search = {
    id: 'keywatch-alert-sentences',
    type: 'search',
    attributes: {
      title: 'keywatch alerts: what happened',
      description: 'Each alert with its sentence, key and rule.',
      columns: ['rule.name', 'keywatch.key.id', 'keywatch.key.owner', 'source.ip', 'message'],
      sort: [['@timestamp', 'desc']],
      kibanaSavedObjectMeta: { searchSourceJSON: savedSearchSource('event.kind: "alert"') },
    },
    references: [dataViewRef('kibanaSavedObjectMeta.searchSourceJSON.index')],
  };
  const panels = [
    ...PANELS.map((p) => ({ id: p.id, grid: p.grid, type: 'visualization' })),
    {
      id: search.id,
      grid: { x: 0, y: 30, w: 48, h: 20 },
      type: 'search',
    },
  ];
  const dashboard = {
    id: 'keywatch-alerts-overview',
    type: 'dashboard',
    attributes: {
      title: 'keywatch: alerts overview',
      description: 'keywatch alerts by rule, severity, key and country, and the alert sentences.',
      timeRestore: true,
      timeFrom: 'now-7d',
      timeTo: 'now',
      optionsJSON: JSON.stringify({ useMargins: true, syncColors: false, hidePanelTitles: false }),
      panelsJSON: JSON.stringify(
        panels.map((p, i) => ({
          panelIndex: String(i + 1),
          gridData: { ...p.grid, i: String(i + 1) },
          embeddableConfig: {},
          panelRefName: `panel_${i}`,
          type: p.type,
          version: '8.19.0',
        })),
      ),
      kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: '', language: 'kuery' }, filter: [] }) },
    },
    references: panels.map((p, i) => ({ name: `panel_${i}`, type: p.type, id: p.id })),
  };
  return [dataView, ...visualizations, search, dashboard];
}

export function toNdjson(objects: readonly Record<string, unknown>[]): string {
  return `${objects.map((o) => JSON.stringify(o)).join('\n')}\n`;
}
