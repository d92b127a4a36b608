export { ipInCidrs } from './cidr.ts';
export { EMPTY_REGISTRY } from './key-registry.ts';
export { loadRegistry } from './load-registry.ts';
export { parseRegistry } from './parse-registry.ts';
export { RegistryError, type RegistryIssue } from './registry-error.ts';
export type { KeyInfo, KeyRegistry, Scope } from './types.ts';
