import type { Declaration } from './declaration.ts';
import type { KeyInfo, KeyRegistry } from './types.ts';

/** What a key gets when neither it nor the registry defaults say otherwise. */
const BUILT_IN: Omit<KeyInfo, 'id' | 'declared'> = {
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
};

/**
 * A registry over already-validated declarations. Each key takes every field it declares (an explicit
 * null included) and inherits the rest from `defaults`, then from the built-in values. Results are deeply
 * frozen: they are shared between callers, and ipInCidrs caches matchers of frozen lists.
 */
export function createKeyRegistry(defaults: Declaration, keys: readonly (Declaration & { id: string })[]): KeyRegistry {
  const inherited = { ...BUILT_IN, ...defaults };
  const declared = new Map<string, KeyInfo>();
  for (const key of keys) declared.set(key.id, freezeKeyInfo({ ...inherited, ...key, declared: true }));
  const declaredList = Object.freeze([...declared.values()]);
  const undeclaredTemplate = freezeKeyInfo({ ...inherited, id: '', declared: false });
  return {
    get: (credentialId) => declared.get(credentialId) ?? Object.freeze({ ...undeclaredTemplate, id: credentialId }),
    declaredKeys: () => [...declaredList],
  };
}

function freezeKeyInfo(info: KeyInfo): KeyInfo {
  const hours = info.businessHours;
  return Object.freeze({
    ...info,
    businessHours: hours === null ? null : Object.freeze({ ...hours, days: Object.freeze([...hours.days]) as number[] }),
    allowedCidrs: Object.freeze([...info.allowedCidrs]) as string[],
    allowedCountries: Object.freeze([...info.allowedCountries]) as string[],
    tags: Object.freeze([...info.tags]) as string[],
  });
}

/** A registry that declares nothing: every key is undeclared, in UTC, with no expectations. */
export const EMPTY_REGISTRY: KeyRegistry = createKeyRegistry({}, []);
