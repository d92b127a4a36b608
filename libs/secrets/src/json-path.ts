/** Keys written with a dot (`a.b`); anything else in brackets (`a["odd key"]`). */
const PLAIN_KEY = /^[A-Za-z_$@][A-Za-z0-9_$@-]*$/;
/** Hostile records can have megabyte-long keys; a path only needs to be recognisable. */
const MAX_SEGMENT = 128;

export function keyPath(parent: string, key: string): string {
  const k = key.length > MAX_SEGMENT ? `${key.slice(0, MAX_SEGMENT)}…` : key;
  if (PLAIN_KEY.test(k)) return parent === '' ? k : `${parent}.${k}`;
  return `${parent}[${JSON.stringify(k)}]`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** Turns a dotted config path (`request.headers.apikey`) into the path format used in findings. */
export function dottedToPath(base: string, dotted: string): string {
  return dotted.split('.').reduce((path, segment) => keyPath(path, segment), base);
}
