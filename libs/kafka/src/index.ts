export type { ReadToEndOptions } from './read-to-end.ts';
export { nextOffset } from './records.ts';
export type { KafkaRuntime } from './runtime.ts';
export { createKafka, replayTopic } from './runtime.ts';
export type {
  Assignment,
  BatchContext,
  BatchHandler,
  BatchLoop,
  BatchLoopOptions,
  BatchResult,
  InputBatch,
  InputRecord,
  KafkaConnection,
  LoopHealth,
  OutputRecord,
  ReplayOptions,
  RuntimeLogger,
  SaslSettings,
  SecretValue,
  TlsSettings,
  TopicSpec,
} from './types.ts';
