export type { FeedbackRecord, Verdict } from './journal.ts';
export { AlertJournal } from './journal.ts';
export { PackedMemoryProfileStore, type PackedStoreStats } from './packed-store.ts';
export type { ProfileStore } from './sqlite-store.ts';
export { MemoryProfileStore, SqliteProfileStore } from './sqlite-store.ts';
