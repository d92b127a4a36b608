import type { LoopHealth } from '@keywatch/kafka';
import { describe, expect, it } from 'vitest';
import { judgeHealth } from '../src/health.ts';

const T0 = Date.parse('2026-12-05T08:00:00Z');
const running = (over: Partial<LoopHealth> = {}): LoopHealth => ({
  running: true,
  crash: null,
  producerFailing: null,
  lastProgressAt: T0,
  ...over,
});
const judge = (loop: LoopHealth, lag: { lag: number; at: number; waitingSince?: number } | null, now: number, stopping = false) =>
  judgeHealth({ loop, lag: lag && { waitingSince: lag.lag > 0 ? T0 : null, ...lag }, now, stallTimeoutMs: 60_000, stopping });

describe('worker liveness', () => {
  it('is healthy while batches commit, and while idle with nothing waiting', () => {
    expect(judge(running(), { lag: 40, at: T0 + 5000 }, T0 + 10_000).healthy).toBe(true);
    expect(judge(running(), { lag: 0, at: T0 + 600_000 }, T0 + 600_000).healthy).toBe(true);
  });

  it('reports a stuck batch: records wait and nothing committed for longer than the stall timeout', () => {
    const stuck = judge(running(), { lag: 250, at: T0 + 61_000 }, T0 + 61_500);
    expect(stuck.healthy).toBe(false);
    expect(stuck.reason).toMatch(/^batch stuck: no batch committed for 62 s while 250 records wait/);
    // Not yet past the timeout, or a lag measured before the last progress, is not stuck.
    expect(judge(running(), { lag: 250, at: T0 + 59_000 }, T0 + 59_500).healthy).toBe(true);
    expect(judge(running({ lastProgressAt: T0 + 1000 }), { lag: 250, at: T0 }, T0 + 70_000).healthy).toBe(true);
    // Idle long after the last commit, records that only just started waiting are not stuck.
    expect(judge(running(), { lag: 250, at: T0 + 600_000, waitingSince: T0 + 590_000 }, T0 + 600_500).healthy).toBe(true);
    expect(judge(running(), { lag: 250, at: T0 + 600_000, waitingSince: T0 + 530_000 }, T0 + 600_500).healthy).toBe(false);
  });

  it('reports a stopped consumer, restarting or for good, with the error', () => {
    const restarting = judge(
      running({ running: false, crash: { error: 'KafkaJSNumberOfRetriesExceeded', at: T0, restarting: true } }),
      null,
      T0,
    );
    expect(restarting).toMatchObject({
      healthy: false,
      reason: expect.stringMatching(/crashed \(KafkaJSNumberOfRetriesExceeded\) and is restarting/),
    });
    const gone = judge(running({ running: false, crash: { error: 'boom', at: T0, restarting: false } }), null, T0);
    expect(gone.reason).toMatch(/gave up; the process exits/);
  });

  it('reports a producer whose attempts fail, naming the error and since when', () => {
    const broken = judge(running({ producerFailing: { error: 'UNKNOWN_TOPIC_OR_PARTITION', since: T0 } }), null, T0 + 1000);
    expect(broken).toMatchObject({
      healthy: false,
      reason: 'producer failing since 2026-12-05T08:00:00.000Z: UNKNOWN_TOPIC_OR_PARTITION',
      checks: { producerFailing: { error: 'UNKNOWN_TOPIC_OR_PARTITION' } },
    });
  });

  it('is healthy while a clean stop finishes its batch', () => {
    expect(judge(running({ running: false }), null, T0, true).healthy).toBe(true);
  });
});
