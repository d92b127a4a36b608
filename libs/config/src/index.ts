export { applyEnv, ConfigError, readConfigFile, validateConfig } from './load.ts';
export type { SecretRef } from './secret.ts';
export { resolveSecret, Secret, SecretError, secretRefSchema } from './secret.ts';
