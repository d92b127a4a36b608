import { describe, expect, it } from 'vitest';
import { parseTime } from '../src/index.ts';

describe('parseTime', () => {
  it.each([
    ['2026-03-04T02:17:09Z', '2026-03-04T02:17:09.000Z'],
    ['2026-03-04T02:17:09.123456789Z', '2026-03-04T02:17:09.123Z'],
    ['2026-03-04T03:17:09+01:00', '2026-03-04T02:17:09.000Z'],
    ['2026-03-03T21:17:09-0500', '2026-03-04T02:17:09.000Z'],
    ['2026-03-04 02:17:09', '2026-03-04T02:17:09.000Z'],
    ['2026-03-04 02:17:09.5', '2026-03-04T02:17:09.500Z'],
    ['2026-03-04 02:17:09.000000000', '2026-03-04T02:17:09.000Z'],
    ['2020-11-05 21:21:46Z', '2020-11-05T21:21:46.000Z'],
    ['04/Mar/2026:03:17:09 +0100', '2026-03-04T02:17:09.000Z'],
    [1772590629000, '2026-03-04T02:17:09.000Z'],
    [1.621305118553e12, '2021-05-18T02:31:58.553Z'],
    ['1772590629000', '2026-03-04T02:17:09.000Z'],
  ])('reads %j', (input, expected) => {
    expect(parseTime(input)).toBe(expected);
  });

  it('reads epoch seconds only where the unit says so', () => {
    expect(parseTime(1772590629, 's')).toBe('2026-03-04T02:17:09.000Z');
    expect(parseTime('1772590629.25', 's')).toBe('2026-03-04T02:17:09.250Z');
    // Seconds read as milliseconds land in 1970: rejected rather than silently wrong.
    expect(parseTime(1772590629)).toBeNull();
  });

  it.each([
    'redacted',
    '...',
    '',
    '2024-12-17 00:00:00000000',
    '2026-02-31T00:00:00Z',
    '2026-03-04T25:00:00Z',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    null,
    true,
    {},
  ])('rejects %j', (input) => {
    expect(parseTime(input)).toBeNull();
  });

  it('rejects huge strings without scanning them', () => {
    expect(parseTime(`2026-03-04T02:17:09Z${'9'.repeat(1_000_000)}`)).toBeNull();
  });
});
