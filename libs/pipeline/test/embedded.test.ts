import type { EcsAlert } from '@keywatch/alerts';
import { withDefaults } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import { parseRegistry } from '@keywatch/registry';
import { normalizeRecord } from '@keywatch/sources';
import { MemoryProfileStore } from '@keywatch/state';
import { describe, expect, it } from 'vitest';
import { AlertGroups, createDetectStage, createEmbeddedPipeline, type DeadLetterRecord } from '../src/index.ts';

const KEY = 'AKIAEXAMPLEKEY000001';
const record = (i: number, over: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/bot', accessKeyId: KEY },
  eventTime: new Date(Date.parse('2026-03-02T09:00:00Z') + i * 1800_000).toISOString(),
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  sourceIPAddress: '3.64.1.10',
  userAgent: 'aws-sdk-java/2.25.10',
  readOnly: true,
  eventID: `ev-${i}`,
  ...over,
});

/** A pipeline that detects events as they are pushed, unless a lateness bound is given. */
function setup(registryYaml = 'keys: []', learnOnly = false, latenessSeconds = 0) {
  const alerts: EcsAlert[] = [];
  const updates: EcsAlert[] = [];
  const dead: DeadLetterRecord[] = [];
  const pipeline = createEmbeddedPipeline(
    { format: 'auto' },
    {
      geo: createGeoLookup(),
      registry: parseRegistry(registryYaml, 'keys.yaml'),
      store: new MemoryProfileStore(),
      options: withDefaults(),
      learnOnly,
    },
    { alert: (a) => alerts.push(a), alertUpdate: (a) => updates.push(a), deadLetter: (d) => dead.push(d) },
    { latenessSeconds },
  );
  return { pipeline, alerts, updates, dead };
}

describe('embedded pipeline', () => {
  it('normalizes, detects and alerts, counting everything', () => {
    const { pipeline, alerts, dead } = setup(`keys:\n  - id: ${KEY}\n    scope: read-only\n`);
    pipeline.push({ value: record(1) }, { file: 'a.ndjson', line: 1 });
    pipeline.push({ value: record(2, { eventName: 'DeleteBucket', readOnly: false }) }, { file: 'a.ndjson', line: 2 });
    pipeline.push({ value: record(3, { eventName: 'PutObject', readOnly: false }) }, { file: 'a.ndjson', line: 3 });
    pipeline.push({ error: 'invalid JSON: Unexpected end', raw: '{"event' }, { file: 'a.ndjson', line: 4 });
    pipeline.push({ value: {} }, { file: 'a.ndjson', line: 5 });
    expect(alerts.map((a) => a.rule.id)).toEqual(['write_on_read_only']);
    expect(dead.map((d) => [d.reason, d.line])).toEqual([
      ['invalid_json', 4],
      ['empty_record', 5],
    ]);
    expect(pipeline.stats()).toMatchObject({
      recordsRead: 5,
      eventsNormalized: 3,
      deadLettered: { total: 2, byReason: { invalid_json: 1, empty_record: 1 } },
      alerts: { total: 1, byRule: { write_on_read_only: 1 } },
      groupedFindings: 1,
      keys: 1,
    });
  }, 30_000); // the first test loads the bundled geo data, seconds on a busy machine

  it('counts provider records whatever the container, and AWS service records as skipped, not dead letters', () => {
    const { pipeline, dead } = setup();
    const service = record(9, {
      eventType: 'AwsServiceEvent',
      userIdentity: { type: 'AWSService', invokedBy: 'secretsmanager.amazonaws.com' },
    });
    const { sourceIPAddress: _ip, ...noIp } = record(8);
    pipeline.push({ value: { Records: [record(1), record(2), service, noIp] } }, { file: 'trail.json', line: 1 });
    expect(dead).toEqual([]);
    expect(pipeline.stats()).toMatchObject({
      recordsRead: 4,
      eventsNormalized: 3,
      deadLettered: { total: 0 },
      skipped: { total: 1, byReason: { aws_service_record: 1 } },
      missingFields: { sourceIp: 1 },
    });
  });

  it('hands out the final version of a grouped alert: same id, count and evidence ids', () => {
    const { pipeline, alerts, updates } = setup(`keys:\n  - id: ${KEY}\n    scope: read-only\n`);
    // Writes every 10 minutes from 09:00: the first opens the alert, the next five join it (1 h window).
    for (let i = 0; i < 8; i++) {
      const eventTime = new Date(Date.parse('2026-03-02T09:00:00Z') + i * 600_000).toISOString();
      pipeline.push(
        { value: record(0, { eventTime, eventName: 'PutObject', readOnly: false, eventID: `w-${i}` }) },
        { file: 'a', line: i + 1 },
      );
    }
    expect(alerts.map((a) => a.event.id)).toHaveLength(2); // 09:00 and, after the window, a new one
    expect(updates).toHaveLength(1); // the first group closed when the 10:00 write passed its window
    expect(updates[0]!.event.id).toBe(alerts[0]!.event.id);
    expect(updates[0]!.keywatch.alert.count).toBe(6);
    expect(updates[0]!.keywatch.evidence.event_ids).toEqual(['w-0', 'w-1', 'w-2', 'w-3', 'w-4', 'w-5']);
    pipeline.finish();
    expect(updates).toHaveLength(2);
    expect(updates[1]!.keywatch.evidence.event_ids).toEqual(['w-6', 'w-7']);
  });

  it('only learns in learn-only mode', () => {
    const { pipeline, alerts } = setup(`keys:\n  - id: ${KEY}\n    scope: read-only\n`, true);
    pipeline.push({ value: record(1, { readOnly: false }) }, { file: 'a', line: 1 });
    expect(alerts).toEqual([]);
    expect(pipeline.stats().eventsNormalized).toBe(1);
  });
});

describe('embedded pipeline: events out of order', () => {
  const writes = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      record(i, {
        eventTime: new Date(Date.parse('2026-03-02T09:00:00Z') + i * 120_000).toISOString(),
        eventName: 'PutObject',
        readOnly: false,
        eventID: `w-${i}`,
      }),
    );
  const ids = (as: EcsAlert[]) =>
    as.map((a) => `${a.rule.id} ${a.event.id} ${a.keywatch.evidence.event_ids.join(',')} ${a.keywatch.alert.count}`);
  const first = (alerts: string[]) => alerts.map((a) => a.split(' ')[2]);
  const run = (records: Record<string, unknown>[], latenessSeconds: number) => {
    const s = setup(`keys:\n  - id: ${KEY}\n    scope: read-only\n`, false, latenessSeconds);
    for (const [i, r] of records.entries()) s.pipeline.push({ value: r }, { file: 'a', line: i + 1 });
    s.pipeline.finish();
    return { alerts: ids(s.alerts), updates: ids(s.updates), stats: s.pipeline.stats() };
  };

  it('holds events for the lateness bound and detects them in event-time order, whatever order they came in', () => {
    // Every 2 minutes for an hour; shuffled within 10 minutes (each event moved by at most 5 positions).
    const inOrder = writes(30);
    const shuffled = [...inOrder];
    for (let i = 0; i + 5 <= shuffled.length; i += 5) shuffled.splice(i, 5, ...shuffled.slice(i, i + 5).reverse());
    const reference = run(inOrder, 0);
    expect(first(reference.alerts)).toEqual(['w-0']); // the hour's writes join the first one
    const reordered = run(shuffled, 900);
    expect(reordered).toEqual({ ...reference, stats: { ...reference.stats, seconds: reordered.stats.seconds } });
    expect(reordered.stats.lateEvents).toBe(0);
    // Without the buffer, the same shuffle opens the alert on another event and leaves events behind newer
    // ones: learned, not judged, counted.
    const arrival = run(shuffled, 0);
    expect(first(arrival.alerts)).toEqual(['w-4']);
    expect(arrival.stats.lateEvents).toBe(24);
  });

  it('counts events later than the bound as late; a copy of an event still held as a duplicate', () => {
    const events = writes(12);
    const late = run([...events.slice(1), events[0]!], 600);
    expect(late.stats).toMatchObject({ eventsNormalized: 12, lateEvents: 1, duplicateEvents: 0 });
    const copies = run([...events, events[11]!, events[10]!], 600);
    expect(copies.stats).toMatchObject({ eventsNormalized: 14, lateEvents: 0, duplicateEvents: 2 });
    expect(copies.alerts).toEqual(run(events, 600).alerts);
  });
});

describe('embedded pipeline: one event the core cannot handle', () => {
  it('becomes a processing_error dead letter; the key keeps its profile and the run goes on', () => {
    // A store that refuses one profile stands for anything the core cannot represent (issue 10 item 1).
    class Refusing extends MemoryProfileStore {
      refused = false;
      override put(id: string, profile: Parameters<MemoryProfileStore['put']>[1]): void {
        if (profile.events === 3 && !this.refused) {
          this.refused = true;
          throw new Error('cannot encode profile: events = 3');
        }
        super.put(id, profile);
      }
    }
    const store = new Refusing();
    const dead: DeadLetterRecord[] = [];
    const pipeline = createEmbeddedPipeline(
      { format: 'auto' },
      { geo: createGeoLookup(), registry: parseRegistry('keys: []', 'k.yaml'), store, options: withDefaults() },
      { alert: () => {}, deadLetter: (d) => dead.push(d) },
      { latenessSeconds: 0 },
    );
    for (let i = 0; i < 5; i++) pipeline.push({ value: record(i) }, { file: 'a.ndjson', line: i + 1 });
    expect(dead.map((d) => [d.reason, d.line, d.message])).toEqual([
      ['processing_error', 3, 'detect failed: cannot encode profile: events = 3'],
    ]);
    expect(pipeline.stats()).toMatchObject({ recordsRead: 5, eventsNormalized: 4, deadLettered: { total: 1 } });
    // The refused event left the profile as it was: the two later events make it 4, not 5.
    expect(store.get(KEY)?.events).toBe(4);
  }, 30_000);
});

describe('the shared detect stage', () => {
  it('hands out final versions from its groups when re-created per batch, as the Kafka detect role does', () => {
    const registry = parseRegistry(`keys:\n  - id: ${KEY}\n    scope: read-only\n`, 'keys.yaml');
    const options = withDefaults();
    const store = new MemoryProfileStore();
    const groups = new AlertGroups(options);
    const normalized = (i: number, over: Record<string, unknown> = {}) =>
      normalizeRecord(record(i, over), { format: 'cloudtrail' }).events;
    const batches = [
      [...normalized(1), ...normalized(2, { eventName: 'PutObject', readOnly: false })],
      [
        ...normalized(2.05, { eventName: 'DeleteObject', readOnly: false }),
        ...normalized(2.1, { eventName: 'PutObject', readOnly: false }),
      ],
      normalized(10), // five hours later: the group's window has passed
    ];
    const out = batches.map((batch) => {
      const stage = createDetectStage({ geo: createGeoLookup(), registry, store, options, groups });
      return batch.map(stage);
    });
    const opened = out.flat().flatMap((o) => o.alerts);
    const updates = out.flat().flatMap((o) => o.updates);
    expect(opened.map((a) => a.rule.id)).toEqual(['write_on_read_only']);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.keywatch.alert).toEqual({ ...opened[0]!.keywatch.alert, count: 3 });
    expect(updates[0]?.keywatch.evidence.event_ids).toEqual(['ev-2', 'ev-2.05', 'ev-2.1']);
    expect(out[2]![0]!.updates).toEqual(updates); // handed out by the first event after the window
  }, 30_000);
});
