import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleAlert } from '../../../test/fakes/sample-alert.ts';
import { type QueuedDelivery, SqliteDeliveryQueue } from '../src/index.ts';

const open: SqliteDeliveryQueue[] = [];
function queueAt(path: string, now?: () => number) {
  const queue = new SqliteDeliveryQueue(path, now ? { now, doneRetentionMs: 1000 } : {});
  open.push(queue);
  return queue;
}
const tempFile = () => join(mkdtempSync(join(tmpdir(), 'kw-queue-')), 'queue.db');

function item(alertId: string, destination: string, notBefore = 0): QueuedDelivery {
  return {
    id: `${alertId}:${destination}`,
    destination,
    alert: sampleAlert({ id: alertId }),
    attempts: 0,
    notBefore,
    lastError: null,
  };
}

afterEach(async () => {
  for (const queue of open.splice(0)) await queue.close();
});

describe('SqliteDeliveryQueue', () => {
  it('is idempotent on id', async () => {
    const queue = queueAt(tempFile());
    await queue.enqueue([item('a', 'siem'), item('a', 'siem'), item('a', 'slack')]);
    await queue.enqueue([item('a', 'siem')]);
    expect(await queue.size()).toBe(2);
  });

  it('returns due items oldest first, per destination when asked, with the alert intact', async () => {
    const queue = queueAt(tempFile());
    await queue.enqueue([item('late', 'siem', 500), item('b', 'siem', 100), item('c', 'slack', 50), item('d', 'siem', 100)]);
    expect((await queue.due(200, 10)).map((i) => i.id)).toEqual(['c:slack', 'b:siem', 'd:siem']);
    expect((await queue.due(200, 10, 'siem')).map((i) => i.id)).toEqual(['b:siem', 'd:siem']);
    expect((await queue.due(200, 1, 'siem')).map((i) => i.id)).toEqual(['b:siem']);
    const [first] = await queue.due(200, 1, 'slack');
    expect(first?.alert).toEqual(sampleAlert({ id: 'c' }));
  });

  it('reschedules with attempts and reason, and completes', async () => {
    const queue = queueAt(tempFile());
    await queue.enqueue([item('a', 'siem')]);
    await queue.reschedule({ ...item('a', 'siem'), attempts: 2, notBefore: 1000, lastError: 'Elasticsearch 429' });
    expect(await queue.due(999, 10)).toEqual([]);
    expect(await queue.due(1000, 10)).toMatchObject([{ id: 'a:siem', attempts: 2, lastError: 'Elasticsearch 429' }]);
    await queue.complete('a:siem');
    expect(await queue.size()).toBe(0);
  });

  it('keeps items across a restart (close and reopen the file)', async () => {
    const path = tempFile();
    const first = queueAt(path);
    await first.enqueue([item('a', 'siem'), item('b', 'siem')]);
    await first.complete('a:siem');
    await first.close();
    const second = queueAt(path);
    expect((await second.due(0, 10)).map((i) => i.id)).toEqual(['b:siem']);
  });

  it('ignores a re-submitted delivery it already finished, until the retention ends', async () => {
    let clock = 0;
    const queue = queueAt(tempFile(), () => clock);
    await queue.enqueue([item('a', 'siem')]);
    await queue.complete('a:siem');
    await queue.enqueue([item('a', 'siem')]);
    expect(await queue.size()).toBe(0);
    clock = 5000;
    await queue.enqueue([item('a', 'siem')]);
    expect(await queue.size()).toBe(1);
  });
});
