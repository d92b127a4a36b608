export type { KeywatchErrorOptions } from './keywatch-error.ts';
export { isExpectedError, KeywatchError, UsageError } from './keywatch-error.ts';
