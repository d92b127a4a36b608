export { loadFingerprintKey } from './fingerprint-key.ts';
export type { DayRow, HistoryEvent, ValueKind, ValueRow } from './history.ts';
export { HISTORY_LIMITS, historyLabel, KeyHistory, VALUE_KINDS } from './history.ts';
export type { FeedbackRecord, Verdict } from './journal.ts';
export { AlertJournal } from './journal.ts';
export { PackedMemoryProfileStore, type PackedStoreStats } from './packed-store.ts';
export type { ProfileStore } from './sqlite-store.ts';
export { MemoryProfileStore, SqliteProfileStore } from './sqlite-store.ts';
export { StateFileError, StateReader } from './state-reader.ts';
