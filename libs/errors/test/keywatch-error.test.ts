import { describe, expect, it } from 'vitest';
import { isExpectedError, KeywatchError, UsageError } from '../src/index.ts';

class LockedError extends KeywatchError {
  constructor() {
    super('state file s.db is in use', { expected: true, retriable: true });
  }
}

describe('KeywatchError', () => {
  it('carries expected and retriable, its subclass name and its cause', () => {
    const cause = new Error('EBUSY');
    const error = new KeywatchError('boom', { expected: false, retriable: true, cause });
    expect(error).toBeInstanceOf(Error);
    expect({ name: error.name, expected: error.expected, retriable: error.retriable, cause: error.cause }).toEqual({
      name: 'KeywatchError',
      expected: false,
      retriable: true,
      cause,
    });
    expect(new LockedError().name).toBe('LockedError');
    expect(new UsageError('--ttl 3x: use a number and a unit')).toMatchObject({
      name: 'UsageError',
      expected: true,
      retriable: false,
    });
  });

  it('tells expected errors from bugs and from errors that are not ours', () => {
    expect(isExpectedError(new LockedError())).toBe(true);
    expect(isExpectedError(new KeywatchError('invariant broken', { expected: false, retriable: false }))).toBe(false);
    expect(isExpectedError(new TypeError('x is undefined'))).toBe(false);
    expect(isExpectedError(Object.assign(new Error('--fake'), { name: 'ConfigError' }))).toBe(false);
    expect(isExpectedError('text')).toBe(false);
  });
});
