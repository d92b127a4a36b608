import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
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

  it('reports each destination’s depth and oldest enqueue time, whatever the items’ due times', async () => {
    let clock = 1000;
    const queue = queueAt(tempFile(), () => clock);
    await queue.enqueue([item('a', 'siem'), item('b', 'slack', 99_999)]); // b: held for a digest
    clock = 5000;
    await queue.enqueue([item('c', 'siem')]);
    await queue.reschedule({ ...item('a', 'siem'), attempts: 1, notBefore: 60_000, lastError: 'HTTP 503' });
    expect(await queue.backlog()).toEqual(
      new Map([
        ['siem', { depth: 2, oldestEnqueuedAt: 1000 }],
        ['slack', { depth: 1, oldestEnqueuedAt: 1000 }],
      ]),
    );
    await queue.complete('a:siem');
    expect((await queue.backlog()).get('siem')).toEqual({ depth: 1, oldestEnqueuedAt: 5000 });
  });

  it('opens a queue file written before enqueue times were kept; its items count from their due time', async () => {
    const path = tempFile();
    const old = new DatabaseSync(path);
    old.exec(`CREATE TABLE deliveries (id TEXT PRIMARY KEY, destination TEXT NOT NULL, alert TEXT NOT NULL,
      attempts INTEGER NOT NULL, not_before INTEGER NOT NULL, last_error TEXT)`);
    old.prepare('INSERT INTO deliveries VALUES (?, ?, ?, 0, 700, NULL)').run('x:siem', 'siem', JSON.stringify(sampleAlert()));
    old.close();
    const queue = queueAt(path, () => 2000);
    await queue.enqueue([item('y', 'siem')]);
    expect(await queue.backlog()).toEqual(new Map([['siem', { depth: 2, oldestEnqueuedAt: 700 }]]));
    expect((await queue.due(2000, 10)).map((i) => i.id).sort()).toEqual(['x:siem', 'y:siem']);
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
