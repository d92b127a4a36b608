import { describe, expect, it } from 'vitest';
import { parseRegistry, RegistryError, type RegistryIssue } from '../src/index.ts';

function issuesOf(text: string, fileName = 'keys.yaml'): RegistryIssue[] {
  try {
    parseRegistry(text, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError);
    return [...(error as RegistryError).issues];
  }
  throw new Error('expected a RegistryError');
}

/** A one-key registry with `field: value` added to a valid key. */
const oneKey = (line: string) => `keys:\n  - id: AKIA1\n    ${line}\n`;
const messageOf = (line: string) => {
  const issues = issuesOf(oneKey(line));
  expect(issues).toHaveLength(1);
  return `${issues[0]!.field}: ${issues[0]!.message}`;
};

describe('parseRegistry: field errors name the path and the bad value', () => {
  it.each([
    ['scope: readonly', 'keys[0].scope: must be "read-only" or "read-write", got "readonly"'],
    ['timezone: Europe/Berln', 'keys[0].timezone: unknown IANA timezone "Europe/Berln"'],
    [
      'allowedCidrs: [10.0.0.0/33]',
      'keys[0].allowedCidrs[0]: must be a CIDR like "203.0.113.0/24" or "2001:db8::/32" (or a single address), got "10.0.0.0/33"',
    ],
    [
      'allowedCidrs: [2001:db8::/129]',
      'keys[0].allowedCidrs[0]: must be a CIDR like "203.0.113.0/24" or "2001:db8::/32" (or a single address), got "2001:db8::/129"',
    ],
    ['allowedCidrs: 10.0.0.0/8', 'keys[0].allowedCidrs: must be a list, got "10.0.0.0/8"'],
    ['allowedCountries: [USA]', 'keys[0].allowedCountries[0]: must be a 2-letter ISO 3166-1 country code like "US", got "USA"'],
    ['allowedCountries: [XX]', 'keys[0].allowedCountries[0]: unknown country code "XX"'],
    [
      'allowedCountries: [UK]',
      'keys[0].allowedCountries[0]: "UK" is not an ISO 3166-1 country code: use "GB" for the United Kingdom',
    ],
    ['created: 2025-02-30', 'keys[0].created: is not a calendar date: "2025-02-30"'],
    ['created: 2025-1-5', 'keys[0].created: must be a date "YYYY-MM-DD", got "2025-1-5"'],
    ['rotationDays: 0', 'keys[0].rotationDays: must be a positive whole number of days, got 0'],
    ['rotationDays: 1.5', 'keys[0].rotationDays: must be a positive whole number of days, got 1.5'],
    ['rotationDays: "90"', 'keys[0].rotationDays: must be a positive whole number of days, got "90"'],
    ['owner: ""', 'keys[0].owner: must not be empty'],
    ['tags: [prod, 3]', 'keys[0].tags[1]: must be a string, got 3'],
    [
      'businessHours: { days: [1], start: "8:00", end: "19:00" }',
      'keys[0].businessHours.start: must be a time "HH:MM" (00:00-23:59), got "8:00"',
    ],
    [
      'businessHours: { days: [1], start: "08:00", end: "24:30" }',
      'keys[0].businessHours.end: must be a time "HH:MM" (00:00-24:00), got "24:30"',
    ],
    [
      'businessHours: { days: [0, 1], start: "08:00", end: "19:00" }',
      'keys[0].businessHours.days[0]: must be an ISO weekday 1 (Monday) .. 7 (Sunday), got 0',
    ],
    ['businessHours: { days: [], start: "08:00", end: "19:00" }', 'keys[0].businessHours.days: must list at least one day'],
    ['businessHours: { days: [1, 1], start: "08:00", end: "19:00" }', 'keys[0].businessHours.days: lists day 1 twice'],
    ['businessHours: { days: [1], start: "08:00" }', 'keys[0].businessHours.end: required'],
    [
      'businessHours: { days: [1], start: "08:00", end: "08:00" }',
      'keys[0].businessHours.end: equals start (08:00); for a whole day use start "00:00", end "24:00"',
    ],
    ['businessHours: weekdays', 'keys[0].businessHours: must be a mapping, got "weekdays"'],
    ['scope: [read-only]', 'keys[0].scope: must be "read-only" or "read-write", got a list'],
  ])('%s', (line, expected) => {
    expect(messageOf(line)).toBe(expected);
  });
});

describe('parseRegistry: structure errors', () => {
  it('rejects unknown fields everywhere, suggesting the field meant', () => {
    const issues = issuesOf(`
version: 2
defaults:
  id: nope
keys:
  - id: AKIA1
    allowedCIDR: [10.0.0.0/8]
    businessHours: { days: [1], start: "08:00", end: "19:00", tz: UTC }
`);
    expect(issues.map((issue) => `${issue.field}: ${issue.message}`)).toEqual([
      'version: unknown field "version" (allowed: defaults, keys)',
      'defaults.id: unknown field "id" (allowed: owner, scope, timezone, businessHours, allowedCidrs, allowedCountries, rotationDays, tags)',
      'keys[0].allowedCIDR: unknown field "allowedCIDR" (did you mean "allowedCidrs"?)',
      'keys[0].businessHours.tz: unknown field "tz" (allowed: days, start, end)',
    ]);
  });

  it('requires an id on every key and hints to quote numeric ones', () => {
    const issues = issuesOf('keys:\n  - owner: ops\n  - id: 12345\n');
    expect(issues.map((issue) => `${issue.field}: ${issue.message}`)).toEqual([
      'keys[0].id: required',
      'keys[1].id: must be a string, got 12345; quote numeric ids: "12345"',
    ]);
  });

  it('rejects duplicate ids, pointing at the first declaration', () => {
    const issues = issuesOf('keys:\n  - id: AKIA1\n  - id: AKIA2\n  - id: AKIA1\n');
    expect(issues).toEqual([{ field: 'keys[2].id', message: 'duplicate id "AKIA1" (first declared at keys[0])', line: 4 }]);
  });

  it.each([
    ['- id: AKIA1\n', '(root): must be a mapping, got a list'],
    ['keys: { id: AKIA1 }\n', 'keys: must be a list of key declarations'],
    ['keys:\n  - AKIA1\n', 'keys[0]: must be a mapping, got "AKIA1"'],
    ['defaults: UTC\n', 'defaults: must be a mapping, got "UTC"'],
  ])('%j', (text, expected) => {
    expect(issuesOf(text).map((issue) => `${issue.field}: ${issue.message}`)).toEqual([expected]);
  });

  it('validates the defaults section like a key', () => {
    expect(issuesOf('defaults:\n  timezone: Mars/Olympus\n')).toEqual([
      { field: 'defaults.timezone', message: 'unknown IANA timezone "Mars/Olympus"', line: 2 },
    ]);
  });
});

describe('parseRegistry: the error', () => {
  const text = ['keys:', '  - id: AKIA1', '    scope: readonly', '  - id: AKIA2', '    timezone: Europe/Berln', ''].join('\n');

  it('reports every problem with its YAML line, in one error', () => {
    expect(issuesOf(text)).toEqual([
      { field: 'keys[0].scope', message: 'must be "read-only" or "read-write", got "readonly"', line: 3 },
      { field: 'keys[1].timezone', message: 'unknown IANA timezone "Europe/Berln"', line: 5 },
    ]);
  });

  it('names the file and line of each problem in its message and exposes the first', () => {
    let error: RegistryError | undefined;
    try {
      parseRegistry(text, 'ops/keys.yaml');
    } catch (caught) {
      error = caught as RegistryError;
    }
    expect(error?.message).toBe(
      [
        'ops/keys.yaml:3: keys[0].scope: must be "read-only" or "read-write", got "readonly"',
        'ops/keys.yaml:5: keys[1].timezone: unknown IANA timezone "Europe/Berln"',
      ].join('\n'),
    );
    expect(error?.field).toBe('keys[0].scope');
    expect(error?.line).toBe(3);
    expect(error?.fileName).toBe('ops/keys.yaml');
  });

  it('gives the line of the key entry when a required field is missing', () => {
    expect(issuesOf('keys:\n  - id: AKIA1\n  - owner: ops\n')).toEqual([{ field: 'keys[1].id', message: 'required', line: 3 }]);
  });

  it('gives lines for JSON files too', () => {
    const json = '{\n  "keys": [\n    { "id": "AKIA1",\n      "scope": "rw" }\n  ]\n}\n';
    expect(issuesOf(json, 'keys.json')).toEqual([
      { field: 'keys[0].scope', message: 'must be "read-only" or "read-write", got "rw"', line: 4 },
    ]);
  });
});

describe('parseRegistry: syntax errors', () => {
  it('reports YAML syntax errors with their line', () => {
    const issues = issuesOf('keys:\n  - id: AKIA1\n    tags: [a, b\n');
    expect(issues[0]).toMatchObject({ field: '(file)', message: expect.stringMatching(/^invalid YAML: /) });
    expect(issues[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('rejects duplicate YAML keys', () => {
    const issues = issuesOf('keys:\n  - id: AKIA1\n    owner: a\n    owner: b\n');
    expect(issues[0]).toMatchObject({ field: '(file)', line: 4, message: expect.stringContaining('unique') });
  });

  it('rejects duplicate keys in JSON, which JSON.parse would silently drop', () => {
    const issues = issuesOf('{\n  "keys": [],\n  "keys": [{ "id": "AKIA1" }]\n}', 'keys.json');
    expect(issues).toEqual([
      { field: '(file)', message: expect.stringMatching(/^invalid JSON: Map keys must be unique/), line: 3 },
    ]);
  });

  it('asks to quote a YAML timestamp', () => {
    expect(messageOf('created: !!timestamp 2025-01-15')).toBe(
      'keys[0].created: must be a date "YYYY-MM-DD", got a YAML timestamp (2025-01-15T00:00:00.000Z); quote it',
    );
  });

  it('parses .json files as strict JSON', () => {
    const issues = issuesOf('{ keys: [] }', 'keys.json');
    expect(issues).toEqual([{ field: '(file)', message: expect.stringMatching(/^invalid JSON: /), line: null }]);
  });
});
