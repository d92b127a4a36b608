import { validateCanonicalEvent } from '@keywatch/event';
import { describe, expect, it } from 'vitest';
import { detectFormat, INPUT_FORMATS, normalizeRecord, SOURCE_FORMATS, SOURCES, sourceDefinition } from '../src/index.ts';

describe('the source format registry', () => {
  it('is the one list every other list comes from', () => {
    expect(SOURCE_FORMATS).toEqual(SOURCES.map((s) => s.format));
    expect(new Set(SOURCE_FORMATS).size).toBe(SOURCE_FORMATS.length);
    expect(INPUT_FORMATS).toEqual(['auto', ...SOURCE_FORMATS]);
  });

  it('gives every format an adapter whose events carry that format id, and a recogniser auto-detection uses', () => {
    const samples: Record<string, unknown> = {
      canonical: { id: 'e1', time: '2026-03-02T10:00:00Z', provider: 'x', credentialId: 'k', action: 'a' },
      cloudtrail: {
        eventVersion: '1.08',
        eventTime: '2026-03-02T10:00:00Z',
        eventSource: 's3.amazonaws.com',
        eventName: 'ListBuckets',
        userIdentity: { accessKeyId: 'AKIAEXAMPLE' },
      },
      'gcp-audit': {
        timestamp: '2026-03-02T10:00:00Z',
        protoPayload: { methodName: 'm', authenticationInfo: { principalEmail: 'sa@p.iam.gserviceaccount.com' } },
      },
      'github-audit': { action: 'repo.create', actor: 'octocat', created_at: 1772445600000 },
      gateway: { time: '2026-03-02T10:00:00Z', method: 'GET', path: '/orders', status: 200, key_id: 'k1' },
    };
    expect(Object.keys(samples).sort()).toEqual([...SOURCE_FORMATS].sort());
    for (const format of SOURCE_FORMATS) {
      expect(detectFormat(samples[format]), format).toBe(format);
      expect(sourceDefinition(format).format).toBe(format);
      const { events, deadLetters } = normalizeRecord(samples[format], { format: 'auto' });
      expect(deadLetters, format).toEqual([]);
      expect(events.map((e) => e.source)).toEqual([format]);
    }
  });

  it('keeps format ids in the shape the event contract checks', () => {
    for (const format of SOURCE_FORMATS) {
      const checked = validateCanonicalEvent({
        id: 'e',
        time: '2026-03-02T10:00:00Z',
        provider: 'p',
        credentialId: 'k',
        action: 'a',
        source: format,
      });
      expect(checked.ok, format).toBe(true);
    }
    const bad = validateCanonicalEvent({
      id: 'e',
      time: '2026-03-02T10:00:00Z',
      provider: 'p',
      credentialId: 'k',
      action: 'a',
      source: 'Not A Format',
    });
    expect(bad.ok).toBe(false);
  });
});
