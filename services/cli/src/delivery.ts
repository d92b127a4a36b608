import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EcsAlert } from '@keywatch/alerts';
import { readConfigFile } from '@keywatch/config';
import { createDispatcherFromConfig, type DispatchStats } from '@keywatch/dispatch';

/**
 * Embedded-mode delivery: the same dispatcher as the Kafka dispatch role, with its durable queue in a
 * local SQLite file. What is not delivered when the run ends stays queued for the next run.
 */
export async function openDelivery(configPath: string, queuePath: string | undefined) {
  const raw = readConfigFile(configPath) as Record<string, unknown>;
  // A full keywatch config keeps delivery under `delivery:`; a delivery-only file has it at the top.
  const section = raw !== null && typeof raw === 'object' && 'delivery' in raw ? raw.delivery : raw;
  const queue = queuePath ?? join(dirname(configPath), '.keywatch', 'delivery.db');
  mkdirSync(dirname(queue), { recursive: true });
  // Destinations that cannot start (Elasticsearch down) do not stop the run: their alerts wait in the queue.
  const runtime = createDispatcherFromConfig(section, { queuePath: queue, source: configPath });
  runtime.dispatcher.start();
  return {
    submit: (alerts: EcsAlert[]) => runtime.dispatcher.submit(alerts),
    async finish(drainSeconds: number) {
      await runtime.dispatcher.drain(drainSeconds * 1000);
      const left = await runtime.queue.size();
      process.stderr.write(formatDelivery(runtime.dispatcher.stats(), left, queue, runtime.notReady()));
    },
    close: () => runtime.close(),
  };
}

function formatDelivery(stats: DispatchStats, left: number, queue: string, notReady: string[]): string {
  const parts = Object.entries(stats).map(
    ([name, s]) =>
      `${name}${notReady.includes(name) ? ' (not ready: start-up work failed, see log)' : ''} ${s.delivered} delivered${s.duplicate ? `, ${s.duplicate} already there` : ''}${s.retried ? `, ${s.retried} retries` : ''}${s.deadLettered ? `, ${s.deadLettered} dead-lettered` : ''}`,
  );
  const pending = left > 0 ? `; ${left} still queued in ${queue}, delivered on the next run` : '';
  return `  delivery: ${parts.join('; ') || 'nothing routed'}${pending}\n`;
}
