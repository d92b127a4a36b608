import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseRegistry } from './parse-registry.ts';
import { RegistryError } from './registry-error.ts';
import type { KeyRegistry } from './types.ts';

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Reads and parses a registry file (`.yaml`, `.yml` or `.json`). Throws RegistryError. */
export function loadRegistry(path: string): KeyRegistry {
  if (!EXTENSIONS.includes(extname(path).toLowerCase())) {
    throw new RegistryError(path, [
      { field: '(file)', message: `unsupported file type; use ${EXTENSIONS.join(', ')}`, line: null },
    ]);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RegistryError(path, [{ field: '(file)', message: `cannot read: ${(error as Error).message}`, line: null }]);
  }
  // A BOM (Windows editors) is not part of the document: JSON.parse would refuse it.
  return parseRegistry(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, path);
}
