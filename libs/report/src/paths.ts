import { createHash } from 'node:crypto';

const SAFE = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * File name of a key's page, relative to the report folder. Key ids are attacker-influenced text and may
 * hold `/`, `:` or anything else (GCP key names, `token:<id>`): unsafe characters become `_` and a short
 * hash of the id keeps two such ids apart. Deterministic, so alerts can link to a page before it exists.
 */
export function keyPagePath(keyId: string): string {
  if (SAFE.test(keyId) && !keyId.startsWith('.')) return `keys/${keyId}.html`;
  const slug = keyId
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 80);
  const digest = createHash('sha256').update(keyId).digest('hex').slice(0, 10);
  return `keys/${slug}-${digest}.html`;
}

/** Absolute link to a key's page in a report published at `baseUrl`. */
export function keyPageUrl(baseUrl: string, keyId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${keyPagePath(keyId)}`;
}
