import { describe, expect, it } from 'vitest';
import { addDays, isoSeconds, isoWeekday, localToUtc, parseDate, wallClock } from '../src/time.ts';

describe('time helpers', () => {
  it('converts local wall-clock times to UTC across a DST change', () => {
    // New York moves to EDT on Sunday 2026-03-08.
    expect(isoSeconds(localToUtc(parseDate('2026-03-06'), 9, 0, 'America/New_York'))).toBe('2026-03-06T14:00:00Z');
    expect(isoSeconds(localToUtc(parseDate('2026-03-09'), 9, 0, 'America/New_York'))).toBe('2026-03-09T13:00:00Z');
    expect(isoSeconds(localToUtc(parseDate('2026-03-02'), 3, 0, 'Asia/Tokyo'))).toBe('2026-03-01T18:00:00Z');
    expect(isoSeconds(localToUtc(parseDate('2026-03-02'), 0, 18 * 60 + 30, 'Europe/Berlin'))).toBe('2026-03-02T17:30:00Z');
  });

  it('reads wall clocks and ISO weekdays', () => {
    const w = wallClock(Date.parse('2026-03-01T18:30:00Z'), 'Asia/Tokyo');
    expect(w).toMatchObject({ year: 2026, month: 3, day: 2, hour: 3, minute: 30, weekday: 1 });
    expect(isoWeekday(parseDate('2026-03-08'))).toBe(7);
    expect(addDays(parseDate('2026-02-27'), 2)).toEqual({ year: 2026, month: 3, day: 1 });
  });

  it('rejects dates that do not exist', () => {
    expect(() => parseDate('2026-02-30')).toThrow(/start/);
    expect(() => parseDate('March 2')).toThrow(/start/);
  });
});
