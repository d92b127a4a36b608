import { isIP } from 'node:net';
import { type CloudProvider, isCloudProvider } from './cloud-regions.ts';
import { GeoDataError } from './geo-data-error.ts';
import { ipv4ToNumber, ipv6ToBigInt } from './ip-number.ts';
import { lastStartAtOrBefore } from './range-search.ts';

/**
 * The address ranges cloud providers publish per region (AWS `ip-ranges.json`, Google `cloud.json`,
 * Azure service tags), as one small CSV written by `scripts/update-cloud-ranges.ts`:
 *
 *     # comment lines start with '#'
 *     aws,us-east-1,3.80.0.0/12
 *     gcp,us-central1,2600:1900:4000::/44
 *
 * Published ranges nest (a /22 of one region inside an AMAZON /16 of another); the most specific one
 * wins. At load they are flattened into sorted, disjoint ranges searched by binary search.
 */
export interface CloudRange {
  provider: CloudProvider;
  region: string;
}

interface Span<N> {
  start: N;
  end: N;
  /** Prefix length: the longer one wins where ranges overlap. */
  bits: number;
  value: number;
}

export class CloudRanges {
  readonly #entries: CloudRange[] = [];
  readonly #v4Starts: Uint32Array;
  readonly #v4Ends: Uint32Array;
  readonly #v4Values: Uint16Array;
  readonly #v6: Span<bigint>[];

  constructor(text: string, fileName: string) {
    const v4: Span<number>[] = [];
    const v6: Span<bigint>[] = [];
    const ids = new Map<string, number>();
    let lineNumber = 0;
    for (const raw of text.split('\n')) {
      lineNumber++;
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const [provider = '', region = '', cidr = '', extra] = line.split(',');
      const [address = '', bitsText = ''] = cidr.split('/');
      const version = isIP(address);
      const bits = Number(bitsText);
      if (
        extra !== undefined ||
        !isCloudProvider(provider) ||
        !/^[a-z0-9-]+$/i.test(region) ||
        version === 0 ||
        !/^\d+$/.test(bitsText) ||
        bits > (version === 4 ? 32 : 128)
      ) {
        throw new GeoDataError(
          `${fileName}:${lineNumber}: expected "provider,region,cidr" (provider aws, gcp or azure), got "${line.slice(0, 120)}"`,
        );
      }
      const key = `${provider},${region}`;
      let value = ids.get(key);
      if (value === undefined) {
        value = this.#entries.length;
        this.#entries.push({ provider, region });
        ids.set(key, value);
      }
      if (version === 4) {
        const size = 2 ** (32 - bits);
        const start = Math.floor(ipv4ToNumber(address) / size) * size;
        v4.push({ start, end: start + size - 1, bits, value });
      } else {
        const host = (1n << BigInt(128 - bits)) - 1n;
        const start = ipv6ToBigInt(address) & ~host;
        v6.push({ start, end: start | host, bits, value });
      }
    }
    if (this.#entries.length > 0xffff) throw new GeoDataError(`${fileName}: more than 65535 provider/region pairs`);
    const flat4 = flatten(v4);
    this.#v4Starts = Uint32Array.from(flat4, (s) => s.start);
    this.#v4Ends = Uint32Array.from(flat4, (s) => s.end);
    this.#v4Values = Uint16Array.from(flat4, (s) => s.value);
    this.#v6 = flatten(v6);
  }

  /** Disjoint ranges after flattening (IPv4 + IPv6). */
  get size(): number {
    return this.#v4Starts.length + this.#v6.length;
  }

  lookupV4(ip: number): CloudRange | null {
    const found = lastStartAtOrBefore(this.#v4Starts, ip);
    return found === -1 || ip > this.#v4Ends[found]! ? null : this.#entries[this.#v4Values[found]!]!;
  }

  lookupV6(ip: bigint): CloudRange | null {
    const spans = this.#v6;
    let lo = 0;
    let hi = spans.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (spans[mid]!.start <= ip) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found === -1 || ip > spans[found]!.end ? null : this.#entries[spans[found]!.value]!;
  }
}

/**
 * CIDR blocks either nest or are disjoint. Sorted by start (the wider block first), a sweep keeps the
 * blocks that contain the current point on a stack; each output piece belongs to the innermost one.
 * Equal blocks listed twice keep the first (the update script lists regional entries first).
 */
function flatten<N extends number | bigint>(spans: Span<N>[]): Span<N>[] {
  spans.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.bits - b.bits));
  const out: Span<N>[] = [];
  const stack: Span<N>[] = [];
  const one = (typeof spans[0]?.start === 'bigint' ? 1n : 1) as N;
  const emit = (start: N, end: N, owner: Span<N>) => {
    if (start > end) return;
    const last = out[out.length - 1];
    // Adjacent pieces of the same region merge, so the table stays small.
    if (last !== undefined && last.value === owner.value && (last.end as number) + (one as number) === (start as number)) {
      last.end = end;
    } else out.push({ start, end, bits: owner.bits, value: owner.value });
  };
  let cursor: N | null = null;
  const closeUntil = (limit: N | null) => {
    while (stack.length > 0 && (limit === null || stack[stack.length - 1]!.end < limit)) {
      const top = stack.pop()!;
      if (cursor !== null && cursor <= top.end) emit(cursor, top.end, top);
      cursor = ((top.end as number) + (one as number)) as N;
    }
  };
  for (const span of spans) {
    closeUntil(span.start);
    const top = stack[stack.length - 1];
    if (top !== undefined && top.start === span.start && top.end === span.end) continue; // duplicate block
    if (top !== undefined && cursor !== null && cursor < span.start)
      emit(cursor, ((span.start as number) - (one as number)) as N, top);
    cursor = span.start;
    stack.push(span);
  }
  closeUntil(null);
  return out;
}
