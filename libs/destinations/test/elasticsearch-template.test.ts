import { describe, expect, it } from 'vitest';
import { destinationConfigSchema } from '../src/config.ts';
import { loadAlertsPipeline, loadAlertsTemplate, withoutDataStream } from '../src/elasticsearch-template.ts';

describe('alerts template and pipeline files', () => {
  it('compose the logs@ templates and the operator hook, tolerating their absence', () => {
    const template = loadAlertsTemplate();
    expect(template.composed_of).toContain('keywatch.alerts@custom');
    expect(template.ignore_missing_component_templates).toEqual(template.composed_of);
    // logs@settings names the ILM policy `logs`; the data stream lifecycle must win over it.
    expect(template.template.settings.index.lifecycle).toEqual({ prefer_ilm: false });
    expect(template.template.settings.index.default_pipeline).toBe('keywatch.alerts@default-pipeline');
    expect(Number.isInteger(template.version)).toBe(true);
  });

  it('stamp event.ingested with the cluster time in the pipeline', () => {
    const pipeline = loadAlertsPipeline();
    expect(pipeline.processors[0]).toEqual({
      set: { field: 'event.ingested', value: '{{{_ingest.timestamp}}}', override: true },
    });
  });

  it('drop the lifecycle with the data stream for servers that have none', () => {
    const plain = withoutDataStream(loadAlertsTemplate());
    expect(plain.data_stream).toBeUndefined();
    expect(plain.template.lifecycle).toBeUndefined();
    expect(plain.template.mappings).toEqual(loadAlertsTemplate().template.mappings);
  });
});

describe('elasticsearch destination config', () => {
  const base = { kind: 'elasticsearch', url: 'https://es.example:9200' };

  it('keeps alerts 180 days and installs the template only when absent or older by default', () => {
    expect(destinationConfigSchema.parse(base)).toMatchObject({ installTemplate: true, retention: '180d' });
  });

  it('accepts force, another retention, or none', () => {
    expect(destinationConfigSchema.parse({ ...base, installTemplate: 'force', retention: '30d' })).toMatchObject({
      installTemplate: 'force',
      retention: '30d',
    });
    expect(destinationConfigSchema.parse({ ...base, retention: null })).toMatchObject({ retention: null });
  });

  it('names the field of a retention that is not a duration', () => {
    const result = destinationConfigSchema.safeParse({ ...base, retention: '180 days' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('retention');
  });
});
