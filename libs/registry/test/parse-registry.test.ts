import { describe, expect, it } from 'vitest';
import { EMPTY_REGISTRY, parseRegistry } from '../src/index.ts';

const YAML = `
defaults:
  timezone: Europe/Berlin
  businessHours: { days: [1, 2, 3, 4, 5], start: "08:00", end: "19:00" }
  allowedCountries: [de]
  tags: [fleet]
keys:
  - id: AKIAEXAMPLEKEY000001
    owner: team-payments
    scope: read-only
    timezone: America/New_York
    businessHours: { days: [1,2,3,4,5], start: 07:00, end: "20:00" }
    allowedCidrs: [203.0.113.0/24]
    allowedCountries: [US, CA]
    created: 2025-01-15
    rotationDays: 90
    tags: [prod, billing]
    description: nightly report bot
  - id: token:42
    businessHours: null
    tags: []
`;

describe('parseRegistry: YAML', () => {
  const registry = parseRegistry(YAML, 'keys.yaml');

  it('reads every field of a declared key', () => {
    expect(registry.get('AKIAEXAMPLEKEY000001')).toEqual({
      id: 'AKIAEXAMPLEKEY000001',
      owner: 'team-payments',
      scope: 'read-only',
      timezone: 'America/New_York',
      businessHours: { days: [1, 2, 3, 4, 5], start: '07:00', end: '20:00' },
      allowedCidrs: ['203.0.113.0/24'],
      allowedCountries: ['US', 'CA'],
      created: '2025-01-15',
      rotationDays: 90,
      tags: ['prod', 'billing'],
      description: 'nightly report bot',
      declared: true,
    });
  });

  it('inherits absent fields from defaults; an explicit null or [] overrides them', () => {
    expect(registry.get('token:42')).toEqual({
      id: 'token:42',
      owner: null,
      scope: null,
      timezone: 'Europe/Berlin',
      businessHours: null,
      allowedCidrs: [],
      allowedCountries: ['DE'],
      created: null,
      rotationDays: null,
      tags: [],
      description: null,
      declared: true,
    });
  });

  it('gives an undeclared key the defaults, marked declared: false', () => {
    expect(registry.get('AKIAUNKNOWN')).toEqual({
      id: 'AKIAUNKNOWN',
      owner: null,
      scope: null,
      timezone: 'Europe/Berlin',
      businessHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '19:00' },
      allowedCidrs: [],
      allowedCountries: ['DE'],
      created: null,
      rotationDays: null,
      tags: ['fleet'],
      description: null,
      declared: false,
    });
  });

  it('lists declared keys in file order', () => {
    expect(registry.declaredKeys().map((key) => key.id)).toEqual(['AKIAEXAMPLEKEY000001', 'token:42']);
  });

  it('hands out frozen key infos, down to their lists', () => {
    const info = registry.get('AKIAEXAMPLEKEY000001');
    expect(Object.isFrozen(info)).toBe(true);
    expect(Object.isFrozen(info.allowedCidrs)).toBe(true);
    expect(Object.isFrozen(info.businessHours?.days)).toBe(true);
    expect(() => info.tags.push('x')).toThrow();
  });

  it('does not let a caller change the declared list', () => {
    registry.declaredKeys().pop();
    expect(registry.declaredKeys()).toHaveLength(2);
  });

  it('keeps YAML 1.2 plain scalars as strings: dates, clock times, NO', () => {
    const parsed = parseRegistry('keys:\n  - id: k\n    created: 2025-01-15\n    allowedCountries: [NO]\n', 'k.yml');
    expect(parsed.get('k')).toMatchObject({ created: '2025-01-15', allowedCountries: ['NO'] });
  });
});

describe('parseRegistry: JSON', () => {
  it('reads the same format from a .json file', () => {
    const json = JSON.stringify({
      defaults: { timezone: 'UTC', scope: 'read-only' },
      keys: [{ id: 'gw-1', owner: 'ops', allowedCidrs: ['2001:db8::/32'] }],
    });
    expect(parseRegistry(json, 'keys.json').get('gw-1')).toMatchObject({
      id: 'gw-1',
      owner: 'ops',
      scope: 'read-only',
      timezone: 'UTC',
      allowedCidrs: ['2001:db8::/32'],
      declared: true,
    });
  });
});

describe('parseRegistry: empty input', () => {
  it.each([
    ['', 'keys.yaml'],
    ['# nothing yet\n', 'keys.yaml'],
    ['', 'keys.json'],
    ['{}', 'keys.json'],
    ['keys: []', 'keys.yaml'],
  ])('%j in %s is a registry with no keys', (text, file) => {
    const registry = parseRegistry(text, file);
    expect(registry.declaredKeys()).toEqual([]);
    expect(registry.get('x')).toMatchObject({ declared: false, timezone: 'UTC', businessHours: null });
  });
});

describe('EMPTY_REGISTRY', () => {
  it('declares nothing and defaults every key to UTC with no expectations', () => {
    expect(EMPTY_REGISTRY.declaredKeys()).toEqual([]);
    expect(EMPTY_REGISTRY.get('AKIA1')).toEqual({
      id: 'AKIA1',
      owner: null,
      scope: null,
      timezone: 'UTC',
      businessHours: null,
      allowedCidrs: [],
      allowedCountries: [],
      created: null,
      rotationDays: null,
      tags: [],
      description: null,
      declared: false,
    });
  });
});
