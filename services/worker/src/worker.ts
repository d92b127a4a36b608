import { withDefaults } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import {
  type BatchHandler,
  type BatchLoop,
  type BatchLoopOptions,
  createKafka,
  type InputBatch,
  type KafkaRuntime,
  type OutputRecord,
} from '@keywatch/kafka';
import type { Health, Logger, Metrics, Readiness } from '@keywatch/ops';
import { loadSuppressions } from '@keywatch/pipeline';
import { EMPTY_REGISTRY, loadRegistry } from '@keywatch/registry';
import { instanceIdOf, kafkaConnection, type WorkerConfig } from './config.ts';
import { createDetectHandler, type DetectDeps } from './detect-role.ts';
import { freshness } from './freshness.ts';
import { createFusedHandler, violationLog } from './fused-role.ts';
import { judgeHealth, pollLag } from './health.ts';
import { createNormalizeHandler } from './normalize-role.ts';
import { PartitionStates } from './partition-states.ts';
import { FUSED_REQUIREMENT, groupOf, prepareTopics, type Role } from './topology.ts';

export interface RunningWorker {
  readiness(): Readiness;
  /** Liveness for /healthz: consumer running, producer working, no batch stuck (health.ts). */
  health(): Health;
  /** Finishes the batch in flight, commits it, leaves the group, disconnects. */
  stop(): Promise<void>;
  /** Resolves once stopped; rejects when the consumer crashed for good (call stop() to clean up, then exit non-zero). */
  readonly done: Promise<void>;
}

export interface WorkerDeps {
  logger: Logger;
  metrics: Metrics;
  env?: NodeJS.ProcessEnv;
}

/** Starts one role as a member of its consumer group. */
export async function startWorker(role: Role, config: WorkerConfig, deps: WorkerDeps): Promise<RunningWorker> {
  const instanceId = instanceIdOf(config);
  const connection = kafkaConnection(config, deps.env);
  const runtime = createKafka(
    { ...connection, clientId: `${connection.clientId}-${instanceId}` },
    deps.logger.child({ component: 'kafka' }),
  );
  try {
    await prepareTopics(runtime, config, role);
    const groupId = groupOf(config, role);
    const base = {
      groupId,
      fromBeginning: true,
      sessionTimeoutMs: config.kafka.sessionTimeoutMs,
      heartbeatIntervalMs: config.kafka.heartbeatIntervalMs,
      transactionTimeoutMs: config.kafka.transactionTimeoutMs,
      maxBytesPerPartition: config.kafka.maxBytesPerPartition,
      maxBytes: config.kafka.maxBytes,
      minBytes: config.kafka.minBytes,
      maxWaitTimeMs: config.kafka.maxWaitTimeMs,
      concurrentPartitions: config.kafka.concurrentPartitions,
      maxRestarts: config.kafka.maxRestarts,
    };
    const observe = observer(role, deps);
    let loop: BatchLoop;
    let stateReady = () => true;
    let closeRole = async () => {};
    if (role === 'normalize') {
      if (config.secrets.fingerprintKey === undefined) {
        deps.logger.warn(
          'secrets.fingerprintKey is not set: secret fingerprints use a key random to this worker and will not match across workers (docs/secrets.md)',
        );
      }
      loop = await runtime.runBatchLoop({
        ...base,
        ...observe,
        topics: config.sources.map((s) => s.topic),
        delivery: 'exactly-once',
        handler: counted(createNormalizeHandler(config, deps.env, freshness(role, deps.metrics)), role, config, deps.metrics),
      });
    } else if (role === 'detect') {
      const states = detectStates(runtime, config, deps, config.topics.events, groupId);
      stateReady = () => states.restored();
      loop = await runtime.runBatchLoop({
        ...base,
        ...observe,
        topics: [config.topics.events],
        delivery: 'exactly-once',
        handler: counted(
          createDetectHandler(config, states, detectDeps(config, deps), freshness(role, deps.metrics)),
          role,
          config,
          deps.metrics,
        ),
        onAssignment: assigned(states, deps),
      });
    } else if (role === 'normalize-detect') {
      const raw = config.sources[0]!.topic;
      const rawPartitions = (await runtime.partitionCounts([raw])).get(raw) ?? 1;
      if (rawPartitions > 1) deps.logger.warn({ topic: raw, partitions: rawPartitions }, FUSED_REQUIREMENT);
      const states = detectStates(runtime, config, deps, raw, groupId);
      stateReady = () => states.restored();
      const handler = createFusedHandler(config, states, detectDeps(config, deps), freshness(role, deps.metrics), {
        ...(deps.env ? { env: deps.env } : {}),
        rawPartitions,
        onViolation: violationLog(deps.logger),
      });
      loop = await runtime.runBatchLoop({
        ...base,
        ...observe,
        topics: [raw],
        delivery: 'exactly-once',
        handler: counted(handler, role, config, deps.metrics),
        onAssignment: assigned(states, deps),
      });
    } else {
      // Loaded only here: the delivery packages are needed by the dispatch role alone.
      const { createDispatchRole } = await import('./dispatch-role.ts');
      const dispatch = await createDispatchRole(config, deps);
      closeRole = dispatch.close;
      loop = await runtime.runBatchLoop({
        ...base,
        ...observe,
        topics: [config.topics.alerts],
        delivery: 'at-least-once',
        handler: counted(dispatch.handler, role, config, deps.metrics),
      });
    }
    deps.logger.info({ role, groupId, instanceId }, 'worker started');
    const { stallTimeoutMs } = config.health;
    const lag = pollLag(runtime, loop, groupId, Math.min(Math.max(stallTimeoutMs / 4, 250), 15_000));
    let stopping: Promise<void> | null = null;
    return {
      readiness: () => {
        if (!loop.joined()) return { ready: false, detail: `${role}: not a member of group ${groupId} yet` };
        if (!stateReady()) return { ready: false, detail: `${role}: restoring partition state` };
        return { ready: true, detail: `${role}: consuming` };
      },
      health: () =>
        judgeHealth({ loop: loop.health(), lag: lag.sample(), now: Date.now(), stallTimeoutMs, stopping: stopping !== null }),
      stop() {
        stopping ??= (async () => {
          lag.stop();
          await loop.stop();
          await closeRole();
          await runtime.close();
        })();
        return stopping;
      },
      done: loop.done,
    };
  } catch (error) {
    await runtime.close().catch(() => {});
    throw error;
  }
}

/** What detection needs besides state, with the geo data loaded. */
function detectDeps(config: WorkerConfig, deps: WorkerDeps): DetectDeps {
  const geo = createGeoLookup({
    ...config.geo,
    onReload: (file, error) =>
      error
        ? deps.logger.error({ file, err: error.message }, 'geo data not reloaded; the previous data stays')
        : deps.logger.info({ file }, 'geo data reloaded'),
  });
  // The bundled geo data loads on first use (seconds of CPU): load it before joining the group, not
  // inside the first batch, where it would delay the first alerts and the group's first commit.
  geo.lookup('8.8.8.8');
  geo.lookup('2001:4860:4860::8888');
  return {
    geo,
    registry: config.detect.keys ? loadRegistry(config.detect.keys) : EMPTY_REGISTRY,
    suppressions: config.detect.suppressions ? loadSuppressions(config.detect.suppressions) : [],
    options: withDefaults({
      learning: config.detect.learning ?? {},
      ...(config.detect.detectors ? { detectors: config.detect.detectors } : {}),
    }),
    ...(config.detect.reportUrl ? { reportUrl: config.detect.reportUrl } : {}),
  };
}

function assigned(states: PartitionStates, deps: WorkerDeps): BatchLoopOptions['onAssignment'] {
  return (assignment, sameMember, fenced) => {
    deps.logger.info({ assignment: Object.fromEntries(assignment), sameMember }, 'partitions assigned');
    states.onAssignment(assignment, sameMember, fenced);
  };
}

/** Per input partition p (events, or raw for normalize-detect), its profiles from changelog partition p. */
function detectStates(
  runtime: KafkaRuntime,
  config: WorkerConfig,
  deps: WorkerDeps,
  inputTopic: string,
  groupId: string,
): PartitionStates {
  return new PartitionStates({
    eventsTopic: inputTopic,
    latenessSeconds: config.detect.latenessSeconds,
    heartbeatEveryMs: config.kafka.heartbeatIntervalMs,
    restore: (partitions, onRecord) =>
      runtime.readPartitionsToEnd({
        topic: config.topics.state,
        partitions,
        groupPrefix: groupId,
        onRecord,
        timeoutMs: config.detect.restoreTimeoutMs,
      }),
    onRestored: (partitions, records, ms) => {
      deps.metrics.restoredRecords.inc(records);
      deps.logger.info({ partitions, records, ms: Math.round(ms) }, 'partition state restored');
    },
    onRestoreFailed: (error) => deps.logger.error({ err: String(error) }, 'state restore failed; retried on the next batch'),
  });
}

/** Counts records in and out of a stage, dead letters by reason and alerts by rule. */
function counted(handler: BatchHandler, role: Role, config: WorkerConfig, metrics: Metrics): BatchHandler {
  return async (batch, context) => {
    const result = await handler(batch, context);
    const afterCommit = result.afterCommit;
    return {
      ...result,
      afterCommit: () => {
        afterCommit?.();
        metrics.recordsIn.inc({ stage: role }, batch.records.length);
        for (const out of result.outputs) {
          if (out.topic === config.topics.dlq)
            metrics.deadLettered.inc({ stage: role, reason: out.headers?.reason ?? 'unknown' });
          else if (out.topic === config.topics.events) metrics.eventsOut.inc({ stage: role }, eventsIn(out.value));
          else if (out.topic === config.topics.alerts) metrics.eventsOut.inc({ stage: role });
          const rule = out.headers?.['rule.id'];
          if (out.topic === config.topics.alerts && rule !== undefined) metrics.alerts.inc({ rule });
        }
      },
    };
  };
}

/** Events in an events-topic record: one per line (normalize packs a key's events). */
function eventsIn(value: OutputRecord['value']): number {
  if (typeof value !== 'string') return 1;
  let lines = 1;
  for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** Batch timing and lag for metrics, failures for the log. */
function observer(role: Role, deps: WorkerDeps): Pick<BatchLoopOptions, 'onBatchEnd'> {
  return {
    onBatchEnd: (batch: InputBatch, outcome) => {
      deps.metrics.batchSeconds.observe(
        { stage: role, outcome: outcome.committed ? 'committed' : 'aborted' },
        outcome.durationMs / 1000,
      );
      const last = batch.records.at(-1);
      if (outcome.committed && last) {
        const lag = Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n);
        deps.metrics.consumerLag.set({ stage: role, topic: batch.topic, partition: String(batch.partition) }, Math.max(0, lag));
      }
      if (!outcome.committed)
        deps.logger.warn({ topic: batch.topic, partition: batch.partition, err: String(outcome.error) }, 'batch aborted');
    },
  };
}
