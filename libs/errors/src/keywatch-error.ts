export interface KeywatchErrorOptions {
  /**
   * True for a problem of input, configuration or environment that the operator fixes (a missing file, a bad
   * field): reported as its message alone. False for a bug: reported with its stack.
   */
  expected: boolean;
  /** True when the same action may succeed later unchanged (a lock held by another run, a server down). */
  retriable: boolean;
  cause?: unknown;
}

/**
 * The one base of keywatch's own errors. Callers decide how to report or whether to retry from `expected` and
 * `retriable`, never from the message or the class name. Programming errors (`TypeError`, `RangeError`) are
 * not KeywatchErrors: they are bugs and keep their stack.
 */
export class KeywatchError extends Error {
  readonly expected: boolean;
  readonly retriable: boolean;

  constructor(message: string, options: KeywatchErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.expected = options.expected;
    this.retriable = options.retriable;
  }
}

/** A command-line option with a value that cannot work (`--ttl 3x`); the message starts with the option. */
export class UsageError extends KeywatchError {
  constructor(message: string) {
    super(message, { expected: true, retriable: false });
  }
}

/** True for an error the operator fixes (reported as one line); false for a bug or anything not ours. */
export function isExpectedError(error: unknown): boolean {
  return error instanceof KeywatchError && error.expected;
}
