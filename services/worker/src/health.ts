import type { BatchLoop, KafkaRuntime, LoopHealth } from '@keywatch/kafka';
import type { Health } from '@keywatch/ops';

/** Records waiting in the partitions this member owns (end offset minus committed offset), when measured. */
export interface LagSample {
  lag: number;
  at: number;
  /** First measurement of the current run of non-zero lags: records have waited since then at least. */
  waitingSince: number | null;
}

/**
 * Liveness of one role: a consumer that is not running, a producer whose last attempts failed, or a batch
 * stuck (records wait and nothing has committed for `stallTimeoutMs`) means the process should be restarted.
 * A stop in progress is healthy: it is finishing its batch.
 */
export function judgeHealth(opts: {
  loop: LoopHealth;
  lag: LagSample | null;
  now: number;
  stallTimeoutMs: number;
  stopping: boolean;
}): Health {
  const { loop, lag, now, stallTimeoutMs } = opts;
  // The stall clock starts at the last commit or when records started waiting, whichever is later: an idle
  // consumer has nothing to commit.
  const stalledMs = lag?.waitingSince != null ? now - Math.max(loop.lastProgressAt, lag.waitingSince) : 0;
  const checks = {
    consumerRunning: loop.running,
    ...(loop.crash ? { lastCrash: { error: loop.crash.error, at: iso(loop.crash.at), restarting: loop.crash.restarting } } : {}),
    ...(loop.producerFailing
      ? { producerFailing: { error: loop.producerFailing.error, since: iso(loop.producerFailing.since) } }
      : {}),
    lastProgressAt: iso(loop.lastProgressAt),
    ...(lag ? { lag: lag.lag, lagMeasuredAt: iso(lag.at) } : {}),
    ...(lag?.waitingSince != null ? { waitingSince: iso(lag.waitingSince) } : {}),
    stallTimeoutMs,
  };
  if (opts.stopping) return { healthy: true, checks };
  if (!loop.running) {
    const reason = loop.crash
      ? `consumer stopped: it crashed (${loop.crash.error}) and ${loop.crash.restarting ? 'is restarting' : 'gave up; the process exits'}`
      : 'consumer stopped';
    return { healthy: false, reason, checks };
  }
  if (loop.producerFailing) {
    const { error, since } = loop.producerFailing;
    return { healthy: false, reason: `producer failing since ${iso(since)}: ${error}`, checks };
  }
  // Only a lag measured after the last progress says records are still waiting.
  if (lag && lag.at > loop.lastProgressAt && lag.lag > 0 && stalledMs > stallTimeoutMs) {
    const reason = `batch stuck: no batch committed for ${Math.round(stalledMs / 1000)} s while ${lag.lag} records wait (health.stallTimeoutMs ${stallTimeoutMs})`;
    return { healthy: false, reason, checks };
  }
  return { healthy: true, checks };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Polls the lag of the loop's assigned partitions from the broker every `everyMs`: the loop's own view
 * stops with its batches, which is exactly when a stuck batch must still be seen.
 */
export function pollLag(
  runtime: KafkaRuntime,
  loop: BatchLoop,
  groupId: string,
  everyMs: number,
): { sample(): LagSample | null; stop(): void } {
  let sample: LagSample | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const measure = async () => {
    let lag = 0n;
    for (const [topic, partitions] of loop.assignment()) {
      const ends = await runtime.endOffsets(topic);
      const committed = await runtime.committedOffsets(groupId, topic);
      for (const p of partitions) {
        const waiting = (ends.get(p) ?? 0n) - (committed.get(p) ?? 0n);
        if (waiting > 0n) lag += waiting;
      }
    }
    return Number(lag);
  };
  const tick = () => {
    const at = Date.now();
    measure()
      .then(
        (lag) => {
          const waitingSince = lag === 0 ? null : (sample?.waitingSince ?? at);
          sample = { lag, at, waitingSince };
        },
        () => {}, // broker unreachable: the consumer's own crash reports it
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, everyMs).unref();
      });
  };
  timer = setTimeout(tick, everyMs).unref();
  return {
    sample: () => sample,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
