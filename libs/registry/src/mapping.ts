import { describe, type Issues, type Path } from './issues.ts';

/**
 * Checks that `value` is a mapping whose fields are all in `allowed`, recording each unknown field
 * (with a suggestion when it looks like a misspelt known one). Returns the mapping even when it has
 * unknown fields, so the known ones still get checked.
 */
export function checkMapping(
  value: unknown,
  path: Path,
  issues: Issues,
  allowed: readonly string[],
): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
    return issues.add(path, `must be a mapping, got ${describe(value)}`);
  }
  const mapping = value as Record<string, unknown>;
  for (const field of Object.keys(mapping)) {
    if (allowed.includes(field)) continue;
    const guess = closest(field, allowed);
    const hint = guess === undefined ? `allowed: ${allowed.join(', ')}` : `did you mean "${guess}"?`;
    issues.add([...path, field], `unknown field "${field}" (${hint})`);
  }
  return mapping;
}

function closest(field: string, allowed: readonly string[]): string | undefined {
  const wanted = normalise(field);
  return allowed.find((name) => editDistance(normalise(name), wanted) <= 2);
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}
