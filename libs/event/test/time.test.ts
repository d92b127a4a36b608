import { describe, expect, it } from 'vitest';
import { rng } from '../../../test/seeded-random.ts';
import { isoMillis } from '../src/time.ts';

const same = (s: string) => expect(Object.is(isoMillis(s), Date.parse(s)), s).toBe(true);

describe('isoMillis', () => {
  it('gives what Date.parse gives for canonical times across years 0-9999', () => {
    const next = rng(13);
    for (let i = 0; i < 20_000; i++) {
      // Any millisecond from year 0 to 9999, written as toISOString writes years 0-9999.
      const ms = Math.floor(-62_167_219_200_000 + next() * 315_537_897_600_000);
      const iso = new Date(ms).toISOString();
      expect(isoMillis(iso), iso).toBe(ms);
      same(`${iso.slice(0, 19)}Z`); // CloudTrail's form, without milliseconds
    }
    for (const s of [
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2000-02-29T12:00:00.000Z',
      '2100-02-28T23:59:59.999Z',
    ]) {
      same(s);
    }
  });

  it('gives what Date.parse gives for every other form and for times that are not real ones', () => {
    for (const s of [
      '2026-01-02T16:42:51.5Z',
      '2026-01-02T16:42:51.000+02:00',
      '2026-01-02T24:00:00.000Z',
      '2026-02-29T00:00:00.000Z',
      '2100-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-00-01T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-01-01T23:60:00.000Z',
      '2026-01-01T23:59:60.000Z',
      '2026-01-01t00:00:00.000z',
      '2026-01-01 00:00:00.000Z',
      '20x6-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.0a0Z',
      '2026/01/01T00:00:00.000Z',
      '+002026-01-01T00:00:00.000Z',
      '',
      'not a time at all, 24 ch',
    ]) {
      same(s);
    }
  });
});
