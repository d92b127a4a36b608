import { readFileSync } from 'node:fs';
import { KeywatchError } from '@keywatch/errors';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

/** A configuration that cannot work: every problem names its path. */
export class ConfigError extends KeywatchError {
  readonly problems: string[];

  constructor(source: string, problems: string[]) {
    super(`${source}: invalid configuration\n${problems.map((p) => `  ${p}`).join('\n')}`, { expected: true, retriable: false });
    this.problems = problems;
  }
}

/** Reads a YAML or JSON configuration file (YAML is a superset of JSON). */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
  try {
    return parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(path, [`not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`]);
  }
}

/**
 * Overlays environment variables on a config value: `KEYWATCH_KAFKA__BROKERS=a:9092,b:9092` sets
 * `kafka.brokers`. `__` separates levels; single `_` joins words into camelCase (`GROUP_ID` → `groupId`).
 * Values that parse as JSON (numbers, booleans, arrays) are taken as such; a comma list becomes an array
 * where the existing value is one.
 */
export function applyEnv(config: unknown, env: NodeJS.ProcessEnv, prefix = 'KEYWATCH_'): unknown {
  const root = structuredClone((config ?? {}) as Record<string, unknown>);
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(prefix) || raw === undefined || !name.includes('__')) continue;
    const path = name
      .slice(prefix.length)
      .split('__')
      .map((part) => part.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()));
    let node = root;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    const leaf = path.at(-1)!;
    node[leaf] = envValue(raw, node[leaf]);
  }
  return root;
}

function envValue(raw: string, existing: unknown): unknown {
  if (Array.isArray(existing) && !raw.trim().startsWith('[')) return raw.split(',').map((s) => s.trim());
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Validates with a schema; every problem names its path (`destinations.pagerduty.routingKey: required`). */
export function validateConfig<S extends z.ZodType>(schema: S, value: unknown, source: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
    const message = issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'required' : issue.message;
    return `${path || '(root)'}: ${message}`;
  });
  throw new ConfigError(source, problems);
}
