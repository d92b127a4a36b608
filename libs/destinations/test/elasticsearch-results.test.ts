import { describe, expect, it } from 'vitest';
import { type FieldMapping, mappedType, valueAt } from '../../../test/fakes/mapping-lookup.ts';
import { sampleAlert } from '../../../test/fakes/sample-alert.ts';
import { classifyBulkItem, elasticsearchDocument, loadAlertsTemplate } from '../src/index.ts';

describe('classifyBulkItem', () => {
  it('maps per-item statuses to delivery results', () => {
    expect(classifyBulkItem({ status: 201 })).toEqual({ status: 'delivered' });
    expect(classifyBulkItem({ status: 409, error: { type: 'version_conflict_engine_exception' } })).toEqual({
      status: 'duplicate',
    });
    expect(classifyBulkItem({ status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } })).toEqual({
      status: 'retry',
      reason: 'Elasticsearch 429 es_rejected_execution_exception: queue full',
    });
    expect(classifyBulkItem({ status: 503, error: { type: 'unavailable_shards_exception', reason: 'x' } }).status).toBe('retry');
    expect(
      classifyBulkItem({
        status: 400,
        error: {
          type: 'document_parsing_exception',
          reason: 'failed to parse field [source.ip]',
          caused_by: { type: 'illegal_argument_exception', reason: "'nope' is not an IP string literal." },
        },
      }),
    ).toEqual({
      status: 'rejected',
      reason:
        "Elasticsearch 400 document_parsing_exception: failed to parse field [source.ip] (caused by illegal_argument_exception: 'nope' is not an IP string literal.)",
    });
    expect(classifyBulkItem(undefined).status).toBe('retry');
  });
});

describe('elasticsearchDocument', () => {
  it('adds event.ingested, data_stream and related fields without touching the alert', () => {
    const alert = sampleAlert();
    const doc = elasticsearchDocument(alert, 'prod', new Date('2026-03-04T02:17:11.000Z'));
    expect(valueAt(doc, 'event.ingested')).toBe('2026-03-04T02:17:11.000Z');
    expect(valueAt(doc, 'event.severity')).toBe(73);
    expect(valueAt(doc, 'event.kind')).toBe('alert');
    expect(doc.data_stream).toEqual({ type: 'logs', dataset: 'keywatch.alerts', namespace: 'prod' });
    expect(doc.related).toEqual({ ip: ['203.0.113.7'], user: ['report-bot'] });
    expect((alert.event as Record<string, unknown>).ingested).toBeUndefined();
  });
});

describe('alerts index template', () => {
  const template = loadAlertsTemplate();
  const { properties } = template.template.mappings as { properties: Record<string, FieldMapping> };

  it('targets logs-keywatch.alerts-* above the built-in logs templates, as a data stream', () => {
    expect(template.index_patterns).toEqual(['logs-keywatch.alerts-*']);
    expect(template.priority).toBeGreaterThan(500);
    expect(template.data_stream).toEqual({});
  });

  it('maps every keywatch.* leaf of an alert explicitly', () => {
    const leaves = (value: unknown, prefix: string): string[] =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).flatMap(([k, v]) => leaves(v, `${prefix}.${k}`))
        : [prefix];
    const unmapped = leaves(sampleAlert().keywatch, 'keywatch').filter((path) => mappedType(properties, path) === undefined);
    expect(unmapped).toEqual([]);
  });

  it('uses only field types the minimal Elasticsearch distribution has (no match_only_text, constant_keyword, wildcard)', () => {
    const types = new Set<string>();
    JSON.stringify(template, (key, value) => {
      if (key === 'type' && typeof value === 'string') types.add(value);
      return value;
    });
    for (const missing of ['match_only_text', 'constant_keyword', 'wildcard', 'scaled_float'])
      expect(types.has(missing)).toBe(false);
  });
});
