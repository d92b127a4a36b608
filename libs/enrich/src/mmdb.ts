import { readFileSync, type Stats, unwatchFile, watchFile } from 'node:fs';
import { type AsnResponse, type CityResponse, Reader } from 'maxmind';
import { GeoDataError } from './geo-data-error.ts';

/**
 * An operator's own MaxMind / DB-IP `.mmdb` file (GeoLite2-City, GeoIP2-City, GeoLite2-Country,
 * dbip-city-lite, GeoLite2-ASN, dbip-asn-lite …), read with the `maxmind` package. The file is
 * polled and re-opened when it changes, so `geoipupdate` or a refreshed volume takes effect
 * without a restart. A replacement that cannot be read keeps the previous data and is reported.
 */
export type MmdbKind = 'geo' | 'asn';

export interface MmdbOptions {
  /** How often the file's mtime/size is polled (ms). 0 never re-opens it. */
  reloadIntervalMs: number;
  /** Called after a successful re-open (the lookup cache must go), or with the error of a failed one. */
  onReload?: (error: Error | null) => void;
}

export class MmdbFile<T extends CityResponse | AsnResponse> {
  readonly path: string;
  #reader: Reader<T>;
  #listener: ((curr: Stats, prev: Stats) => void) | null = null;

  constructor(path: string, kind: MmdbKind, options: MmdbOptions) {
    this.path = path;
    this.#reader = open<T>(path, kind);
    if (options.reloadIntervalMs > 0) {
      this.#listener = (curr, prev) => {
        // A missing file (mid-replacement) has mtime 0: wait for the next poll.
        if (curr.mtimeMs === 0 || (curr.mtimeMs === prev.mtimeMs && curr.size === prev.size)) return;
        try {
          this.#reader = open<T>(path, kind);
          options.onReload?.(null);
        } catch (error) {
          options.onReload?.(error as Error);
        }
      };
      watchFile(path, { interval: options.reloadIntervalMs, persistent: false }, this.#listener);
    }
  }

  get(ip: string): T | null {
    return this.#reader.get(ip);
  }

  get databaseType(): string {
    return this.#reader.metadata.databaseType;
  }

  close(): void {
    if (this.#listener !== null) unwatchFile(this.path, this.#listener);
    this.#listener = null;
  }
}

/** DB-IP's files carry GeoLite2-compatible records and types such as `DBIP-City-Lite`, `DBIP-ASN-Lite`. */
const EXPECTED: Record<MmdbKind, { test: RegExp; what: string }> = {
  geo: { test: /city|country/i, what: 'a City or Country database' },
  asn: { test: /asn/i, what: 'an ASN database' },
};

function open<T extends CityResponse | AsnResponse>(path: string, kind: MmdbKind): Reader<T> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new GeoDataError(`cannot read the ${kind} database ${path}: ${(error as Error).message}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b)
    throw new GeoDataError(`${path} is gzip-compressed: unpack it to a .mmdb file first`);
  let reader: Reader<T>;
  try {
    reader = new Reader<T>(bytes);
  } catch (error) {
    throw new GeoDataError(`${path} is not a MaxMind DB (.mmdb) file: ${(error as Error).message}`);
  }
  const type = reader.metadata.databaseType;
  if (!EXPECTED[kind].test.test(type)) {
    throw new GeoDataError(`${path} is a "${type}" database; expected ${EXPECTED[kind].what}`);
  }
  return reader;
}
