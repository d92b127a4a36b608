/** Path inside the registry document: `['keys', 2, 'scope']` is shown as `keys[2].scope`. */
export type Path = readonly (string | number)[];

export interface PathIssue {
  path: Path;
  message: string;
}

/** Collects every problem instead of stopping at the first, so one run shows the operator all of them. */
export class Issues {
  readonly list: PathIssue[] = [];

  add(path: Path, message: string): undefined {
    this.list.push({ path, message });
    return undefined;
  }
}

export function formatPath(path: Path): string {
  if (path.length === 0) return '(root)';
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/** A bad value as it should appear in a message: strings quoted, long values cut. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return `a YAML timestamp (${value.toISOString()}); quote it`;
  if (typeof value === 'object' && value !== null) return 'a mapping';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
