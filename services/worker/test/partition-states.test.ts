import type { Profile } from '@keywatch/detect';
import { emptyProfile } from '@keywatch/detect';
import type { InputRecord } from '@keywatch/kafka';
import { describe, expect, it } from 'vitest';
import { PartitionStates } from '../src/partition-states.ts';
import { decodeChangelogValue, encodeChangelogValue, PartitionStore } from '../src/partition-store.ts';

const profile = (events: number): Profile => ({ ...emptyProfile(1000), events });
const context = { heartbeat: async () => {} };

describe('PartitionStore', () => {
  it('keeps batch changes pending until commit, and forgets them on discard', () => {
    const store = new PartitionStore();
    store.load('k1', profile(1));
    store.put('k1', profile(2));
    store.put('k2', profile(1));
    expect(store.get('k1')?.events).toBe(2);
    expect(store.pending().map(([id]) => id)).toEqual(['k1', 'k2']);
    store.discard();
    expect(store.get('k1')?.events).toBe(1);
    expect(store.get('k2')).toBeNull();
    store.put('k2', profile(5));
    store.commit();
    expect(store.pending()).toEqual([]);
    expect(store.get('k2')?.events).toBe(5);
    expect(store.size()).toBe(2);
    store.load('k2', null);
    expect(store.get('k2')).toBeNull();
  });
});

describe('PartitionStore encoding', () => {
  const unencodable = (): Profile => ({ ...profile(3), firstSeen: 2000, lastSeen: 1000 });

  it('encodes each changed key once, in pending(), and commits those bytes', () => {
    const store = new PartitionStore();
    store.put('k1', profile(1));
    store.put('k1', profile(2));
    const [[id, bytes]] = store.pending() as [[string, Uint8Array]];
    expect(id).toBe('k1');
    expect(decodeChangelogValue(Buffer.from(bytes)).events).toBe(2);
    store.commit();
    expect(store.get('k1')?.events).toBe(2);
  });

  it('names the key whose profile cannot be encoded; strict puts fail on the event itself', () => {
    const store = new PartitionStore();
    store.put('k1', profile(1));
    store.put('bad', unencodable());
    expect(() => store.pending()).toThrow(/^the profile of bad cannot be encoded: cannot encode profile: firstSeen/);
    store.discard();
    store.strict = true;
    store.put('k1', profile(1));
    expect(() => store.put('bad', unencodable())).toThrow('cannot encode profile');
    expect(store.pending().map(([k]) => k)).toEqual(['k1']);
  });
});

describe('PartitionStore reorder buffer', () => {
  const event = (id: string, minute: number) => ({
    id,
    time: new Date(Date.parse('2026-03-02T10:00:00Z') + minute * 60_000).toISOString(),
  });
  const source = (offset: number) => ({ topic: 'events', partition: 0, offset: String(offset) });

  it('writes held events to the changelog and restores them: the same events come out, in time order', () => {
    const a = new PartitionStore(600);
    // 10:00, 10:05, 10:03: nothing is 10 minutes older than the newest yet.
    for (const [i, [id, m]] of (
      [
        ['e1', 0],
        ['e2', 5],
        ['e3', 3],
      ] as const
    ).entries())
      expect(a.reorder.push(event(id, m) as never, source(i))).toEqual([]);
    const first = a.reorderChanges();
    expect(first.filter(([, v]) => v !== null)).toHaveLength(4); // 3 held events and the latest time
    a.commit();
    expect(a.reorderChanges()).toEqual([]); // nothing changed since the commit

    // A second batch releases 10:00 and 10:03 (10:14 is more than 10 minutes newer): tombstones for them.
    const released = a.reorder.push(event('e4', 14) as never, source(3))!.map((h) => h.event.id);
    expect(released).toEqual(['e1', 'e3']);
    const second = a.reorderChanges();
    expect(second.filter(([, v]) => v === null)).toHaveLength(2);
    a.commit();

    // A new owner restores the partition from the changelog: e2 and e4 are held, with where they came from.
    const b = new PartitionStore(600);
    for (const [key, value] of [...first, ...second]) b.loadReorder(key, value);
    expect(
      b.reorder
        .held()
        .map((h) => [h.event.id, h.tag.offset])
        .sort(),
    ).toEqual([
      ['e2', '1'],
      ['e4', '3'],
    ]);
    expect(b.reorder.maxTimeMs).toBe(a.reorder.maxTimeMs);
    expect(b.reorderChanges()).toEqual([]);
    expect(b.reorder.flush().map((h) => h.event.id)).toEqual(['e2', 'e4']);
  });
});

describe('changelog values', () => {
  it('are encoded profiles, and JSON ones from older changelogs still load', () => {
    const p = { ...profile(42), countries: [{ h: 0x4445, n: 3, last: 1500 }] };
    const encoded = encodeChangelogValue(p);
    expect(encoded[0]).not.toBe(0x7b);
    expect(encoded.length).toBeLessThan(JSON.stringify(p).length / 2);
    expect(decodeChangelogValue(encoded)).toEqual(p);
    expect(decodeChangelogValue(Buffer.from(JSON.stringify(p)))).toEqual(p);
  });
});

describe('PartitionStates', () => {
  function changelog(records: Record<number, [string, Profile | null][]>) {
    const calls: number[][] = [];
    const restore = async (partitions: number[], onRecord: (r: InputRecord) => void) => {
      calls.push(partitions);
      let n = 0;
      for (const p of partitions) {
        for (const [key, value] of records[p] ?? []) {
          onRecord({
            topic: 'state',
            partition: p,
            offset: String(n++),
            key,
            // Partition 0 holds changelog records written as JSON (before profiles were encoded), others encoded ones.
            value: value ? (p === 0 ? Buffer.from(JSON.stringify(value)) : encodeChangelogValue(value)) : null,
            headers: {},
            timestamp: '0',
          });
        }
      }
      return n;
    };
    return { calls, restore };
  }

  it('restores assigned partitions from the changelog before their first batch, latest record per key winning', async () => {
    const log = changelog({
      0: [
        ['a', profile(1)],
        ['a', profile(3)],
        ['b', profile(1)],
        ['b', null],
      ],
      1: [['c', profile(7)]],
    });
    const states = new PartitionStates({ eventsTopic: 'events', restore: log.restore });
    states.onAssignment(new Map([['events', [0, 1]]]), false, Promise.resolve());
    const store0 = await states.storeFor(0, context);
    expect(store0.get('a')?.events).toBe(3);
    expect(store0.get('b')).toBeNull();
    expect((await states.storeFor(1, context)).get('c')?.events).toBe(7);
    expect(states.restored()).toBe(true);
    expect(log.calls).toEqual([[0, 1]]);
  });

  it('waits for the previous owners to be fenced before reading their changelog', async () => {
    const log = changelog({ 0: [['a', profile(1)]] });
    const states = new PartitionStates({ eventsTopic: 'events', restore: log.restore });
    let fence: () => void = () => {};
    states.onAssignment(new Map([['events', [0]]]), false, new Promise<void>((resolve) => (fence = resolve)));
    await new Promise((r) => setTimeout(r, 20));
    expect(log.calls).toEqual([]);
    expect(states.restored()).toBe(false);
    fence();
    await states.storeFor(0, context);
    expect(log.calls).toEqual([[0]]);
  });

  it('keeps the state of partitions it kept as the same member, drops revoked ones and everything after a lapse', async () => {
    const log = changelog({ 0: [['a', profile(1)]], 1: [['b', profile(1)]] });
    const states = new PartitionStates({ eventsTopic: 'events', restore: log.restore });
    states.onAssignment(new Map([['events', [0, 1]]]), false, Promise.resolve());
    const kept = await states.storeFor(0, context);
    kept.put('a', profile(9));
    kept.commit();

    states.onAssignment(new Map([['events', [0]]]), true, Promise.resolve());
    expect(await states.storeFor(0, context)).toBe(kept);
    expect(log.calls).toEqual([[0, 1]]);

    // Partition 1 comes back: someone else may have owned it meanwhile, so it is restored again.
    states.onAssignment(new Map([['events', [0, 1]]]), true, Promise.resolve());
    await states.storeFor(1, context);
    expect(log.calls).toEqual([[0, 1], [1]]);

    // A new member id (the consumer crashed or was expelled): nothing in memory is trusted.
    states.onAssignment(new Map([['events', [0, 1]]]), false, Promise.resolve());
    expect((await states.storeFor(0, context)).get('a')?.events).toBe(1);
  });

  it('drops a partition whose batch failed, so the next batch restores it', async () => {
    const log = changelog({ 0: [['a', profile(1)]] });
    const states = new PartitionStates({ eventsTopic: 'events', restore: log.restore });
    states.onAssignment(new Map([['events', [0]]]), false, Promise.resolve());
    await states.storeFor(0, context);
    states.drop(0);
    expect(states.restored()).toBe(false);
    await states.storeFor(0, context);
    expect(log.calls).toEqual([[0], [0]]);
  });
});
