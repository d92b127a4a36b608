import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type Stage = 'normalize' | 'detect' | 'dispatch';

/** The worker's Prometheus metrics, in their own registry (tests create as many as they like). */
export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'keywatch_' });
  return {
    registry,
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
