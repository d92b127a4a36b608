export type { ProfileStore } from './sqlite-store.ts';
export { MemoryProfileStore, SqliteProfileStore } from './sqlite-store.ts';
