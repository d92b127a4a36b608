/**
 * 32-bit FNV-1a. Profiles keep hashes of the values a key has used (IPs, prefixes, user agents) rather
 * than the values: bounded size, and nothing in the state store identifies a network by itself.
 * A collision can only hide a new value (one in ~4 billion per pair), never invent one.
 */
export function hash32(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
