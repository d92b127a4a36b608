import type { EcsAlert } from '@keywatch/alerts';
import { createDispatcherFromConfig } from '@keywatch/dispatch';
import type { BatchHandler, OutputRecord } from '@keywatch/kafka';
import { deliverySection, type WorkerConfig } from './config.ts';
import { deadLetterRecord } from './dead-letter.ts';
import { freshness } from './freshness.ts';
import type { WorkerDeps } from './worker.ts';

export interface DispatchRole {
  handler: BatchHandler;
  close(): Promise<void>;
}

/**
 * dispatch: each batch of alerts is handed to the dispatcher, whose queue makes them durable; only then
 * does the loop commit the batch's offsets. Delivery (retries, rate limits, digests) runs in the
 * background from the queue, so a slow destination never holds the consumer, let alone detection (its
 * own consumer group). Re-delivery after a crash is harmless: queue items and alert ids are deterministic.
 */
export async function createDispatchRole(config: WorkerConfig, deps: WorkerDeps): Promise<DispatchRole> {
  const { metrics } = deps;
  const outcomeCounter = {
    delivered: metrics.delivered,
    duplicate: metrics.deliveryDuplicates,
    retried: metrics.deliveryRetries,
    dead_lettered: metrics.deliveryDeadLettered,
  };
  const delivery = createDispatcherFromConfig(deliverySection(config), {
    queuePath: config.dispatch.queuePath,
    logger: deps.logger.child({ component: 'dispatch' }),
    source: 'destinations/routes',
    ...(deps.env ? { env: deps.env } : {}),
    onOutcome: (destination, outcome) => outcomeCounter[outcome].inc({ destination }),
  });
  const names = delivery.destinations.map((d) => d.name);
  // Every destination's series exists from the start, so rate() and "no delivery" alerts work before the first alert.
  for (const counter of Object.values(outcomeCounter)) for (const destination of names) counter.inc({ destination }, 0);
  let closed = false;
  metrics.setBacklogSource(async () => {
    if (closed) return []; // a scrape while the worker stops must not read the closed queue
    const backlog = await delivery.queue.backlog();
    const now = Date.now();
    return names.map((destination) => {
      const b = backlog.get(destination);
      return { destination, depth: b?.depth ?? 0, oldestAgeSeconds: b ? Math.max(0, now - b.oldestEnqueuedAt) / 1000 : 0 };
    });
  });
  const observeFreshness = freshness('dispatch', metrics);
  // A destination whose start-up work fails (Elasticsearch down) retries it in the background; the others deliver.
  delivery.dispatcher.start();
  const dlqTopic = config.topics.dlq;

  const handler: BatchHandler = async (batch) => {
    const alerts: EcsAlert[] = [];
    const outputs: OutputRecord[] = [];
    for (const record of batch.records) {
      const alert = parseAlert(record.value);
      if (typeof alert !== 'string') alerts.push(alert);
      else outputs.push(deadLetterRecord(dlqTopic, record, 'invalid_alert', alert));
    }
    await delivery.dispatcher.submit(alerts);
    return { outputs, afterCommit: () => observeFreshness(alerts.map((a) => Date.parse(a['@timestamp']))) };
  };
  return {
    handler,
    close: () => {
      closed = true;
      return delivery.close();
    },
  };
}

/** The alert, or why the record is not one. */
function parseAlert(value: Buffer | null): EcsAlert | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value?.toString('utf8') ?? 'null');
  } catch (error) {
    return `invalid alert JSON: ${(error as Error).message}`;
  }
  const alert = parsed as EcsAlert | null;
  if (typeof alert !== 'object' || alert === null || typeof alert.event?.id !== 'string' || typeof alert.rule?.id !== 'string') {
    return 'not an alert: event.id and rule.id required';
  }
  return alert;
}
