export { UnreadableInput } from './bytes.ts';
export { DEFAULT_LIMITS, type ReadLimits } from './limits.ts';
export { type ReadItem, readItemBatches, readItems } from './records.ts';
