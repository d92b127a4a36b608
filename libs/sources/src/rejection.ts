import type { DeadLetterReason } from './types.ts';

/** Thrown by an adapter when a record cannot become an event; normalize turns it into a dead letter. */
export class RecordRejected extends Error {
  readonly reason: DeadLetterReason;

  constructor(reason: DeadLetterReason, message: string) {
    super(message);
    this.name = 'RecordRejected';
    this.reason = reason;
  }
}

export function reject(reason: DeadLetterReason, message: string): never {
  throw new RecordRejected(reason, message);
}
