export type { WorkerConfig } from './config.ts';
export {
  checkDeliveryConfig,
  instanceIdOf,
  kafkaConnection,
  loadWorkerConfig,
  parseWorkerConfig,
  workerConfigSchema,
} from './config.ts';
export { main } from './main.ts';
export { EventPacks } from './normalize-role.ts';
export { decodeChangelogValue } from './partition-store.ts';
export type { Role } from './topology.ts';
export { FUSED_REQUIREMENT, ROLES, topicSpecs, WORKER_ROLES } from './topology.ts';
export type { RunningWorker, WorkerDeps } from './worker.ts';
export { startWorker } from './worker.ts';
