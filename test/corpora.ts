import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The JSON files (`.json`, `.ndjson`) below a corpus folder of ../shared/corpora, as paths. */
export function corpusFiles(dir: URL): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(?:json|ndjson)$/.test(f))
    .map((f) => join(dir.pathname, f));
}

/** Every JSON value in a corpus file: the file as one document, or one per line. */
export function corpusDocuments(path: string): unknown[] {
  const text = readFileSync(path, 'utf8');
  try {
    return [JSON.parse(text) as unknown];
  } catch {
    return text.split('\n').flatMap((line) => {
      try {
        return line.trim() === '' ? [] : [JSON.parse(line) as unknown];
      } catch {
        return []; // one upstream file is broken JSON; its records are not readable by anyone
      }
    });
  }
}
