import { extname } from 'node:path';
import { type Document, LineCounter, parseDocument, type YAMLError } from 'yaml';
import { checkDefaults, checkKey, type Declaration } from './declaration.ts';
import { formatPath, Issues, type Path } from './issues.ts';
import { createKeyRegistry } from './key-registry.ts';
import { checkMapping } from './mapping.ts';
import { RegistryError } from './registry-error.ts';
import type { KeyRegistry } from './types.ts';

/**
 * Parses and validates a key registry. `fileName` names the file in errors and picks the syntax:
 * `.json` is parsed as strict JSON, anything else as YAML 1.2. Throws a RegistryError listing every
 * problem with its path and line; an empty document is an empty registry.
 */
export function parseRegistry(text: string, fileName: string): KeyRegistry {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineOf = (path: Path) => nodeLine(doc, lines, path);
  const data = readData(text, fileName, doc, lines);

  const issues = new Issues();
  const registry = checkRegistry(data, issues);
  if (issues.list.length > 0 || registry === undefined) {
    throw new RegistryError(
      fileName,
      issues.list.map(({ path, message }) => ({ field: formatPath(path), message, line: lineOf(path) })),
    );
  }
  return registry;
}

function readData(text: string, fileName: string, doc: Document, lines: LineCounter): unknown {
  if (extname(fileName).toLowerCase() === '.json') {
    let data: unknown;
    try {
      data = text.trim() === '' ? null : JSON.parse(text);
    } catch (error) {
      throw new RegistryError(fileName, [{ field: '(file)', message: `invalid JSON: ${(error as Error).message}`, line: null }]);
    }
    // JSON.parse silently keeps the last of two equal keys; the YAML parse of the same text notices.
    throwSyntaxErrors(
      fileName,
      'JSON',
      doc.errors.filter((error) => error.code === 'DUPLICATE_KEY'),
      lines,
    );
    return data;
  }
  throwSyntaxErrors(fileName, 'YAML', doc.errors, lines);
  try {
    return doc.toJS();
  } catch (error) {
    throw new RegistryError(fileName, [{ field: '(file)', message: `invalid YAML: ${(error as Error).message}`, line: null }]);
  }
}

function throwSyntaxErrors(fileName: string, syntax: string, errors: readonly YAMLError[], lines: LineCounter): void {
  if (errors.length === 0) return;
  throw new RegistryError(
    fileName,
    errors.map((error) => ({
      field: '(file)',
      message: `invalid ${syntax}: ${error.message.split('\n')[0]}`,
      line: error.linePos?.[0].line ?? lines.linePos(error.pos[0]).line,
    })),
  );
}

function checkRegistry(data: unknown, issues: Issues): KeyRegistry | undefined {
  if (data === null || data === undefined) return createKeyRegistry({}, []);
  const root = checkMapping(data, [], issues, ['defaults', 'keys']);
  if (root === undefined) return undefined;
  const defaults = root.defaults === undefined ? {} : checkDefaults(root.defaults, issues);
  const keys = root.keys === undefined ? [] : checkKeys(root.keys, issues);
  return createKeyRegistry(defaults, keys);
}

function checkKeys(value: unknown, issues: Issues): (Declaration & { id: string })[] {
  if (!Array.isArray(value)) {
    issues.add(['keys'], 'must be a list of key declarations');
    return [];
  }
  const keys: (Declaration & { id: string })[] = [];
  const firstIndexOf = new Map<string, number>();
  value.forEach((entry, index) => {
    const key = checkKey(entry, index, issues);
    if (key === undefined) return;
    const first = firstIndexOf.get(key.id);
    if (first !== undefined) {
      issues.add(['keys', index, 'id'], `duplicate id "${key.id}" (first declared at keys[${first}])`);
      return;
    }
    firstIndexOf.set(key.id, index);
    keys.push(key);
  });
  return keys;
}

/** Line of the node at `path`, or of its nearest existing ancestor (for a missing required field). */
function nodeLine(doc: Document, lines: LineCounter, path: Path): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range !== undefined) return lines.linePos(range[0]).line;
  }
  return null;
}
