import { KeywatchError } from '@keywatch/errors';
import type { DeadLetterReason, SkipReason } from './types.ts';

/** Thrown by an adapter when a record cannot become an event; normalize turns it into a dead letter. */
export class RecordRejected extends KeywatchError {
  readonly reason: DeadLetterReason;

  constructor(reason: DeadLetterReason, message: string) {
    super(message, { expected: true, retriable: false });
    this.reason = reason;
  }
}

export function reject(reason: DeadLetterReason, message: string): never {
  throw new RecordRejected(reason, message);
}

/**
 * Thrown by an adapter for a record that is fine but is not a call made with a credential (AWS
 * service records): normalize counts it as skipped, with the reason, instead of dead-lettering it.
 */
export class RecordSkipped extends KeywatchError {
  readonly reason: SkipReason;

  constructor(reason: SkipReason, message: string) {
    super(message, { expected: true, retriable: false });
    this.reason = reason;
  }
}

export function skip(reason: SkipReason, message: string): never {
  throw new RecordSkipped(reason, message);
}
