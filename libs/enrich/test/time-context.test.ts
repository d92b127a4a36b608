import { describe, expect, it } from 'vitest';
import { type BusinessHours, timeContext } from '../src/index.ts';

const local = (iso: string, zone: string | null) => {
  const t = timeContext(iso, zone);
  return { date: t.localDate, hour: t.localHour, minute: t.localMinute, weekday: t.localWeekday };
};

describe('timeContext: DST in Europe/Berlin (2026-03-29 and 2026-10-25)', () => {
  it('jumps from 01:59 CET to 03:00 CEST at 01:00 UTC on 29 March', () => {
    expect(local('2026-03-29T00:59:00Z', 'Europe/Berlin')).toEqual({ date: '2026-03-29', hour: 1, minute: 59, weekday: 7 });
    expect(local('2026-03-29T01:00:00Z', 'Europe/Berlin')).toEqual({ date: '2026-03-29', hour: 3, minute: 0, weekday: 7 });
  });

  it('repeats 02:xx on 25 October: UTC+2 before 01:00 UTC, UTC+1 after', () => {
    expect(local('2026-10-25T00:30:00Z', 'Europe/Berlin').hour).toBe(2);
    expect(local('2026-10-25T01:30:00Z', 'Europe/Berlin').hour).toBe(2);
    expect(local('2026-10-25T02:30:00Z', 'Europe/Berlin').hour).toBe(3);
  });

  it('is UTC+1 in winter and UTC+2 in summer', () => {
    expect(local('2026-01-15T10:00:00Z', 'Europe/Berlin').hour).toBe(11);
    expect(local('2026-07-01T10:00:00Z', 'Europe/Berlin').hour).toBe(12);
  });
});

describe('timeContext: DST in America/New_York (2026-03-08 and 2026-11-01)', () => {
  it('jumps from 01:59 EST to 03:00 EDT at 07:00 UTC on 8 March', () => {
    expect(local('2026-03-08T06:59:00Z', 'America/New_York')).toEqual({ date: '2026-03-08', hour: 1, minute: 59, weekday: 7 });
    expect(local('2026-03-08T07:00:00Z', 'America/New_York')).toEqual({ date: '2026-03-08', hour: 3, minute: 0, weekday: 7 });
  });

  it('repeats 01:xx on 1 November: EDT before 06:00 UTC, EST after', () => {
    expect(local('2026-11-01T05:30:00Z', 'America/New_York').hour).toBe(1);
    expect(local('2026-11-01T06:30:00Z', 'America/New_York').hour).toBe(1);
    expect(local('2026-11-01T07:30:00Z', 'America/New_York').hour).toBe(2);
  });

  it('is on the previous local day when UTC has already passed midnight', () => {
    const t = timeContext('2026-03-02T03:00:00Z', 'America/New_York');
    expect(t).toMatchObject({ utcHour: 3, utcWeekday: 1, localDate: '2026-03-01', localHour: 22, localWeekday: 7 });
    expect(t.hourOfWeek).toBe(6 * 24 + 22);
  });
});

describe('timeContext: fields', () => {
  it('uses UTC when no timezone is declared', () => {
    expect(timeContext('2026-03-04T02:17:09.000Z', null)).toEqual({
      utcHour: 2,
      utcWeekday: 3,
      timezone: 'UTC',
      localHour: 2,
      localMinute: 17,
      localWeekday: 3,
      hourOfWeek: 2 * 24 + 2,
      localDate: '2026-03-04',
      withinBusinessHours: null,
    });
  });

  it('numbers hour-of-week from Monday 00h = 0 to Sunday 23h = 167', () => {
    expect(timeContext('2026-03-02T00:00:00Z', 'UTC').hourOfWeek).toBe(0);
    expect(timeContext('2026-03-08T23:59:59Z', 'UTC').hourOfWeek).toBe(167);
  });

  it('accepts an explicit offset in the input time', () => {
    expect(timeContext('2026-03-04T03:17:09+01:00', 'UTC').utcHour).toBe(2);
  });

  it('rejects an unknown timezone, naming it', () => {
    expect(() => timeContext('2026-03-04T02:17:09Z', 'Europe/Berln')).toThrow('unknown IANA timezone "Europe/Berln"');
  });

  it.each(['not a time', '2026-03-04T02:17:09', '2026-03-04', '2026-02-30T25:00:00Z'])('rejects the time %j', (time) => {
    expect(() => timeContext(time, 'UTC')).toThrow(`"${time}"`);
  });
});

describe('timeContext: business hours', () => {
  const office: BusinessHours = { days: [1, 2, 3, 4, 5], start: '08:00', end: '19:00' };
  const within = (iso: string, hours: BusinessHours, zone = 'Europe/Berlin') => timeContext(iso, zone, hours).withinBusinessHours;

  it('is null when no hours are declared', () => {
    expect(timeContext('2026-03-02T10:00:00Z', 'Europe/Berlin', null).withinBusinessHours).toBeNull();
  });

  it('includes the start minute and excludes the end minute, in local time', () => {
    // Monday 2 March 2026, Berlin is UTC+1.
    expect(within('2026-03-02T06:59:00Z', office)).toBe(false);
    expect(within('2026-03-02T07:00:00Z', office)).toBe(true);
    expect(within('2026-03-02T17:59:00Z', office)).toBe(true);
    expect(within('2026-03-02T18:00:00Z', office)).toBe(false);
  });

  it('follows the DST switch: 08:00 Berlin is 06:00 UTC the Monday after', () => {
    expect(within('2026-03-30T06:00:00Z', office)).toBe(true);
    expect(within('2026-03-30T05:59:00Z', office)).toBe(false);
  });

  it('is false on days not declared', () => {
    expect(within('2026-03-07T10:00:00Z', office)).toBe(false); // Saturday
  });

  it('handles hours that span midnight, counting the early morning to the previous day', () => {
    const fridayNight: BusinessHours = { days: [5], start: '22:00', end: '06:00' };
    expect(within('2026-03-06T23:00:00Z', fridayNight, 'UTC')).toBe(true); // Fri 23:00
    expect(within('2026-03-07T03:00:00Z', fridayNight, 'UTC')).toBe(true); // Sat 03:00
    expect(within('2026-03-07T06:00:00Z', fridayNight, 'UTC')).toBe(false); // Sat 06:00
    expect(within('2026-03-07T23:00:00Z', fridayNight, 'UTC')).toBe(false); // Sat 23:00
    expect(within('2026-03-06T03:00:00Z', fridayNight, 'UTC')).toBe(false); // Fri 03:00 (Thursday's shift, not declared)
  });

  it('wraps Sunday night into Monday morning', () => {
    const sundayNight: BusinessHours = { days: [7], start: '20:00', end: '02:00' };
    expect(within('2026-03-09T01:00:00Z', sundayNight, 'UTC')).toBe(true); // Mon 01:00
  });

  it('accepts 24:00 as the end of the day', () => {
    const allDay: BusinessHours = { days: [1], start: '00:00', end: '24:00' };
    expect(within('2026-03-02T23:59:00Z', allDay, 'UTC')).toBe(true);
    expect(within('2026-03-03T00:00:00Z', allDay, 'UTC')).toBe(false);
  });

  it('rejects a malformed clock time, naming the field', () => {
    expect(() => timeContext('2026-03-02T10:00:00Z', 'UTC', { days: [1], start: '8:00', end: '19:00' })).toThrow(
      'businessHours.start: expected "HH:MM", got "8:00"',
    );
  });
});
