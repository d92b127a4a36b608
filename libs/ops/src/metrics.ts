import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type Stage = 'normalize' | 'detect' | 'dispatch' | 'normalize-detect';

/** One destination's delivery queue at scrape time. */
export interface DestinationBacklog {
  destination: string;
  depth: number;
  /** Age of the oldest queued item; 0 when none waits. */
  oldestAgeSeconds: number;
}

/**
 * Event time to processing: CloudTrail delivers within about 5-15 minutes, a replay or a stalled stage shows as
 * hours or days.
 */
const FRESHNESS_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 86_400, 604_800];

/** The worker's Prometheus metrics, in their own registry (tests create as many as they like). */
export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  // Standard names (process_cpu_seconds_total, nodejs_heap_size_used_bytes…), as Node.js dashboards expect them.
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry });
  let backlog: () => Promise<DestinationBacklog[]> = async () => [];
  return {
    registry,
    /** The dispatch role tells where its queue's backlog is read at each scrape. */
    setBacklogSource(source: () => Promise<DestinationBacklog[]>) {
      backlog = source;
    },
    eventFreshness: new Histogram({
      name: 'keywatch_event_freshness_seconds',
      help: 'Now minus the event time (for dispatch: the alert time) when a stage has processed and committed it',
      labelNames: ['stage'] as const,
      buckets: FRESHNESS_BUCKETS,
      registers: [registry],
    }),
    delivered: new Counter({
      name: 'keywatch_delivery_delivered_total',
      help: 'Alerts a destination accepted',
      labelNames: ['destination'] as const,
      registers: [registry],
    }),
    deliveryDuplicates: new Counter({
      name: 'keywatch_delivery_duplicates_total',
      help: 'Alerts a destination already had (delivered before a crash or by a replay)',
      labelNames: ['destination'] as const,
      registers: [registry],
    }),
    deliveryRetries: new Counter({
      name: 'keywatch_delivery_retries_total',
      help: 'Delivery attempts that failed and were scheduled again (429, 5xx, timeouts, resets)',
      labelNames: ['destination'] as const,
      registers: [registry],
    }),
    deliveryDeadLettered: new Counter({
      name: 'keywatch_delivery_dead_lettered_total',
      help: 'Alerts a destination rejected or that exhausted their attempts, written to the dead letters',
      labelNames: ['destination'] as const,
      registers: [registry],
    }),
    deliveryQueueDepth: new Gauge({
      name: 'keywatch_delivery_queue_depth',
      help: 'Alerts waiting in the delivery queue for a destination (due, backing off or held for a digest)',
      labelNames: ['destination'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const b of await backlog()) this.set({ destination: b.destination }, b.depth);
      },
    }),
    deliveryOldestPending: new Gauge({
      name: 'keywatch_delivery_oldest_pending_seconds',
      help: 'Age of the oldest alert waiting for a destination, 0 when none waits',
      labelNames: ['destination'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const b of await backlog()) this.set({ destination: b.destination }, b.oldestAgeSeconds);
      },
    }),
    recordsIn: new Counter({
      name: 'keywatch_records_in_total',
      help: 'Records consumed by a stage',
      labelNames: ['stage'] as const,
      registers: [registry],
    }),
    eventsOut: new Counter({
      name: 'keywatch_records_out_total',
      help: 'Records produced by a stage (events by normalize, alerts by detect, deliveries queued by dispatch)',
      labelNames: ['stage'] as const,
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'keywatch_dead_lettered_total',
      help: 'Records sent to the dead-letter topic, by stage and reason',
      labelNames: ['stage', 'reason'] as const,
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'keywatch_consumer_lag',
      help: 'Records between the last processed offset and the end of the partition, as of the last batch',
      labelNames: ['stage', 'topic', 'partition'] as const,
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'keywatch_batch_duration_seconds',
      help: 'Time to process and commit one batch',
      labelNames: ['stage', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    alerts: new Counter({
      name: 'keywatch_alerts_total',
      help: 'Alerts opened, by detector',
      labelNames: ['rule'] as const,
      registers: [registry],
    }),
    restoredRecords: new Counter({
      name: 'keywatch_state_restored_records_total',
      help: 'Changelog records read to restore per-partition state',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
