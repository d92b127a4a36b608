import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../src/index.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-04T02:00:00Z');

  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 04 Mar 2026 02:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 04 Mar 2026 01:00:00 GMT', now)).toBe(0);
  });

  it('gives undefined for a missing or unreadable header', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
