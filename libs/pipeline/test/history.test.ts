import type { EcsAlert } from '@keywatch/alerts';
import { withDefaults } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import { parseRegistry } from '@keywatch/registry';
import { keyPageUrl } from '@keywatch/report';
import { type HistoryEvent, MemoryProfileStore } from '@keywatch/state';
import { describe, expect, it } from 'vitest';
import { createEmbeddedPipeline } from '../src/index.ts';

const KEY = 'AKIAEXAMPLEKEY000001';
const record = (time: string, over: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/bot', accessKeyId: KEY },
  eventTime: time,
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  sourceIPAddress: '3.64.1.10',
  userAgent: 'aws-sdk-java/2.25.10 Linux/5.10',
  readOnly: true,
  eventID: `ev-${time}`,
  ...over,
});

/** Loading the geo tables takes seconds on a busy machine: once per file, outside the tests' time limit. */
const geo = createGeoLookup();
geo.lookup('3.64.1.10');

function setup(reportUrl?: string) {
  const seen: HistoryEvent[] = [];
  const alerts: EcsAlert[] = [];
  const pipeline = createEmbeddedPipeline(
    { format: 'auto' },
    {
      geo,
      registry: parseRegistry(`keys:\n  - id: ${KEY}\n    scope: read-only\n    timezone: America/New_York\n`, 'k.yaml'),
      store: new MemoryProfileStore(),
      options: withDefaults(),
      history: { record: (e) => seen.push(e) },
      ...(reportUrl ? { reportUrl } : {}),
    },
    { alert: (a) => alerts.push(a), deadLetter: () => {} },
    { latenessSeconds: 0 }, // detected as pushed
  );
  return { pipeline, seen, alerts };
}

describe('report history at the edge', () => {
  it('hands every event to the history in key-local time, with the values the report names', () => {
    const { pipeline, seen } = setup();
    // 03:30 UTC on a Tuesday is 22:30 on Monday in New York.
    pipeline.push({ value: record('2026-03-03T03:30:00Z', { errorCode: 'AccessDenied' }) }, { file: 'a', line: 1 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      keyId: KEY,
      localDate: '2026-03-02',
      localHour: 22,
      failure: true,
      authFailure: true,
      write: false,
    });
    expect(seen[0]?.values).toEqual(
      expect.arrayContaining([
        { kind: 'action', value: 's3:GetObject', label: 'read' },
        { kind: 'network', value: '3.64.1.0/24', label: null },
        { kind: 'client', value: 'aws-sdk-java', label: 'aws-sdk-java/2.25.10 Linux/5.10' },
      ]),
    );
    expect(seen[0]?.info).toMatchObject({ id: KEY, scope: 'read-only', timezone: 'America/New_York' });
  });

  it('links alerts to the key page when a report URL is configured', () => {
    const { pipeline, alerts } = setup('https://kw.example/report/');
    pipeline.push(
      { value: record('2026-03-03T12:00:00Z', { eventName: 'DeleteBucket', readOnly: false }) },
      { file: 'a', line: 1 },
    );
    expect(alerts.map((a) => a.event.reference)).toEqual([keyPageUrl('https://kw.example/report', KEY)]);
    const plain = setup();
    plain.pipeline.push(
      { value: record('2026-03-03T12:00:00Z', { eventName: 'DeleteBucket', readOnly: false }) },
      { file: 'a', line: 1 },
    );
    expect(plain.alerts[0]?.event.reference).toBeUndefined();
  });
});
