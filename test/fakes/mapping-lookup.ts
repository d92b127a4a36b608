// Reads field types out of Elasticsearch mappings by dotted path, for tests of the alerts template.

export interface FieldMapping {
  type?: string;
  properties?: Record<string, FieldMapping>;
}

/** The mapped type of `path` ("keywatch.key.id"); a field under a `flattened` parent counts as `flattened`. */
export function mappedType(properties: Record<string, FieldMapping> | undefined, path: string): string | undefined {
  let level = properties;
  let field: FieldMapping | undefined;
  for (const part of path.split('.')) {
    field = level?.[part];
    if (field?.type === 'flattened') return 'flattened';
    level = field?.properties;
  }
  return field?.type;
}

/** A value in a parsed JSON document by dotted path. */
export function valueAt(document: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
}
