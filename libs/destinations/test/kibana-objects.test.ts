// The Kibana files in deploy/elasticsearch/kibana/ cannot be imported here (no Kibana); this checks that they are
// what the generator makes today, and the structure Kibana's import APIs rely on.
import { readFileSync } from 'node:fs';
import { SEVERITY_NUMBER } from '@keywatch/alerts';
import { DETECTOR_IDS } from '@keywatch/detect';
import { describe, expect, it } from 'vitest';
import { loadAlertsTemplate } from '../src/index.ts';
import {
  ALERTS_INDEX_PATTERN,
  DATA_VIEW_ID,
  detectionRules,
  kibanaRuleId,
  savedObjects,
  toNdjson,
} from '../src/kibana-objects.ts';

const dir = new URL('../../../deploy/elasticsearch/kibana/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, dir), 'utf8');
const lines = (file: string) =>
  read(file)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Every field path the alerts index template maps. */
function mappedFields(): Set<string> {
  const fields = new Set<string>();
  const walk = (props: Record<string, { properties?: Record<string, unknown> }>, prefix: string) => {
    for (const [name, def] of Object.entries(props)) {
      if (def.properties) walk(def.properties as never, `${prefix}${name}.`);
      else fields.add(`${prefix}${name}`);
    }
  };
  walk(loadAlertsTemplate().template.mappings.properties as never, '');
  return fields;
}

describe('deploy/elasticsearch/kibana', () => {
  it('holds what the generator makes from the detector vocabulary (run `npm run kibana-objects` after adding a rule)', () => {
    expect(read('keywatch-detection-rules.ndjson')).toBe(toNdjson(detectionRules()));
    expect(read('keywatch-dashboard.ndjson')).toBe(toNdjson(savedObjects()));
  });

  it('has one detection rule per keywatch rule, named from rule.name, with severity, risk and ATT&CK mapped', () => {
    const rules = lines('keywatch-detection-rules.ndjson') as Array<{
      rule_id: string;
      type: string;
      index: string[];
      query: string;
      rule_name_override: string;
      severity_mapping: { field: string; value: string; severity: string }[];
      risk_score_mapping: { field: string }[];
      threat: { framework: string; tactic: { id: string }; technique: { id: string; subtechnique?: { id: string }[] }[] }[];
    }>;
    expect(rules.map((r) => r.rule_id)).toEqual(DETECTOR_IDS.map(kibanaRuleId));
    const fields = mappedFields();
    for (const [i, rule] of rules.entries()) {
      const id = DETECTOR_IDS[i]!;
      expect(rule.type).toBe('query');
      expect(rule.index).toEqual([ALERTS_INDEX_PATTERN]);
      expect(rule.query).toContain(`rule.id: "${id}"`);
      expect(rule.rule_name_override).toBe('rule.name');
      expect(new Set(rule.severity_mapping.map((m) => `${m.value}=${m.severity}`))).toEqual(
        new Set(Object.entries(SEVERITY_NUMBER).map(([label, n]) => `${n}=${label}`)),
      );
      for (const m of [...rule.severity_mapping, ...rule.risk_score_mapping]) expect(fields.has(m.field), m.field).toBe(true);
      expect(rule.threat).toHaveLength(1);
      const threat = rule.threat[0]!;
      expect(threat.framework).toBe('MITRE ATT&CK');
      expect(threat.tactic.id).toMatch(/^TA\d{4}$/);
      expect(threat.technique[0]!.id).toMatch(/^T\d{4}$/);
      for (const sub of threat.technique[0]!.subtechnique ?? [])
        expect(sub.id).toMatch(new RegExp(`^${threat.technique[0]!.id}\\.\\d{3}$`));
    }
    expect(() => detectionRules(['not_a_rule'])).toThrow(/not_a_rule/);
  });

  it('has a data view over the alerts data stream and a dashboard whose references all resolve to mapped fields', () => {
    const objects = lines('keywatch-dashboard.ndjson') as Array<{
      id: string;
      type: string;
      attributes: Record<string, unknown>;
      references: { name: string; type: string; id: string }[];
    }>;
    const byKey = new Map(objects.map((o) => [`${o.type}:${o.id}`, o]));
    expect(byKey.get(`index-pattern:${DATA_VIEW_ID}`)?.attributes.title).toBe(ALERTS_INDEX_PATTERN);
    expect(loadAlertsTemplate().index_patterns).toContain(ALERTS_INDEX_PATTERN);
    for (const o of objects) {
      for (const ref of o.references) expect(byKey.has(`${ref.type}:${ref.id}`), `${o.id} → ${ref.type}:${ref.id}`).toBe(true);
    }
    const dashboard = objects.find((o) => o.type === 'dashboard')!;
    const panels = JSON.parse(dashboard.attributes.panelsJSON as string) as { panelRefName: string }[];
    expect(panels.length).toBeGreaterThanOrEqual(4);
    for (const p of panels) expect(dashboard.references.map((r) => r.name)).toContain(p.panelRefName);

    const fields = mappedFields();
    for (const vis of objects.filter((o) => o.type === 'visualization')) {
      const state = JSON.parse(vis.attributes.visState as string) as { aggs: { params: { field?: string } }[] };
      for (const agg of state.aggs)
        if (agg.params.field) expect(fields.has(agg.params.field), `${vis.id}: ${agg.params.field}`).toBe(true);
    }
    const search = objects.find((o) => o.type === 'search')!;
    for (const column of search.attributes.columns as string[]) expect(fields.has(column), column).toBe(true);
  });
});
