import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSuppressions, parseDuration } from '../src/suppressions.ts';

describe('parseDuration', () => {
  it('reads days, hours and minutes', () => {
    expect([parseDuration('30d'), parseDuration('12h'), parseDuration('90m')]).toEqual([30 * 86400, 12 * 3600, 90 * 60]);
  });
  it('names the option on bad input', () => {
    expect(() => parseDuration('1 week')).toThrow('--ttl 1 week: use a number and a unit, like 30d, 12h or 90m');
  });
});

describe('loadSuppressions', () => {
  const file = (text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'kw-supp-')), 'allow.yaml');
    writeFileSync(path, text);
    return path;
  };

  it('normalises entries and dates', () => {
    const [s] = loadSuppressions(
      file(
        'suppressions:\n  - key: K1\n    rules: [new_country]\n    countries: [pt]\n    userAgents: [Terraform]\n    expires: 2026-12-31\n    reason: travel\n',
      ),
    );
    expect(s).toMatchObject({
      key: 'K1',
      rules: ['new_country'],
      countries: ['PT'],
      userAgents: ['terraform'],
      expires: Date.parse('2026-12-31T00:00:00Z') / 1000,
      reason: 'travel',
    });
  });

  it('names every bad field', () => {
    expect(() => loadSuppressions(file('suppressions:\n  - rules: [new_planet]\n    asns: [-1]\n'))).toThrow(
      /suppressions\[0\]\.rules\[0\][\s\S]*suppressions\[0\]\.asns\[0\][\s\S]*suppressions\[0\]\.reason/,
    );
  });
});
