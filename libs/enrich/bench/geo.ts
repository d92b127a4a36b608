import { rng as random } from '../../../test/seeded-random.ts';
/**
 * Micro-benchmark of geo lookups (not a test). Run from libs/enrich:
 *   bash ../../scripts/node24.sh node bench/geo.ts
 * Prints data load times, then lookups/s over 100k random public IPv4 and 100k random IPv6 addresses,
 * uncached (cacheSize 0) and cached (every address already in the cache).
 */
import { createGeoLookup } from '../src/index.ts';

const COUNT = 100_000;

function isPublicV4(a: number, b: number): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 100 && b >= 64 && b < 128) return false;
  if ((a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168)) return false;
  return true;
}

function publicIpv4s(count: number, next: () => number): string[] {
  const ips: string[] = [];
  while (ips.length < count) {
    const [a, b, c, d] = [0, 0, 0, 0].map(() => Math.floor(next() * 256)) as [number, number, number, number];
    if (isPublicV4(a, b)) ips.push(`${a}.${b}.${c}.${d}`);
  }
  return ips;
}

/** Global unicast 2000::/3, where the allocated space is. */
function publicIpv6s(count: number, next: () => number): string[] {
  const group = () => Math.floor(next() * 0x10000).toString(16);
  return Array.from({ length: count }, () => {
    const first = (0x2000 + Math.floor(next() * 0x2000)).toString(16);
    return [first, group(), group(), group(), group(), group(), group(), group()].join(':');
  });
}

function time(label: string, run: () => void): void {
  const start = performance.now();
  run();
  console.log(`${label}: ${(performance.now() - start).toFixed(0)} ms`);
}

function rate(label: string, ips: string[], lookup: (ip: string) => unknown): void {
  const start = performance.now();
  for (const ip of ips) lookup(ip);
  const seconds = (performance.now() - start) / 1000;
  console.log(`${label}: ${Math.round(ips.length / seconds).toLocaleString('en-US')} lookups/s`);
}

const next = random(42);
const v4 = publicIpv4s(COUNT, next);
const v6 = publicIpv6s(COUNT, next);

const uncached = createGeoLookup({ cacheSize: 0 });
time('load geoip-lite + IPv4 ASN table (first IPv4 lookup)', () => uncached.lookup('8.8.8.8'));
time('load IPv6 ASN table (first IPv6 lookup)', () => uncached.lookup('2001:4860:4860::8888'));

rate('IPv4 uncached', v4, (ip) => uncached.lookup(ip));
rate('IPv6 uncached', v6, (ip) => uncached.lookup(ip));

const cached = createGeoLookup({ cacheSize: 2 * COUNT });
for (const ip of [...v4, ...v6]) cached.lookup(ip);
rate('IPv4 cached', v4, (ip) => cached.lookup(ip));
rate('IPv6 cached', v6, (ip) => cached.lookup(ip));

const located = v4.filter((ip) => uncached.lookup(ip).asn !== null).length;
console.log(`IPv4 sample with an ASN: ${((100 * located) / COUNT).toFixed(1)}%`);
console.log(`RSS: ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`);
