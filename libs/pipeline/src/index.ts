export { AlertGroups, MAX_EVIDENCE_IDS } from './alert-groups.ts';
export type { DetectOutput, DetectStageDeps } from './detect-stage.ts';
export { createDetectStage, enrich } from './detect-stage.ts';
export type { DeadLetterRecord, EmbeddedSinks, InputRecord, RecordOrigin } from './embedded.ts';
export { createEmbeddedPipeline } from './embedded.ts';
export { type HistorySink, historyEvent } from './history.ts';
export type { RunStats } from './stats.ts';
export { emptyStats } from './stats.ts';
export { loadSuppressions, parseDuration } from './suppressions.ts';
