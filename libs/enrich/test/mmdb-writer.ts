import { isIP } from 'node:net';
import { ipv4ToNumber, ipv6ToBigInt } from '../src/ip-number.ts';

/**
 * A minimal MaxMind DB writer for tests (format spec: maxmind.github.io/MaxMind-DB): an IPv6 tree with
 * 24-bit records, IPv4 networks at ::a.b.c.d, and the data types GeoIP2/GeoLite2 records use (maps,
 * arrays, UTF-8 strings, doubles, unsigned ints). Enough to build small City/ASN databases in a test
 * instead of committing third-party data.
 */
export type MmdbValue = string | number | MmdbValue[] | { [key: string]: MmdbValue };

interface TreeNode {
  children: [TreeNode | number | null, TreeNode | number | null];
}

export function writeMmdb(databaseType: string, networks: [cidr: string, record: MmdbValue][]): Buffer {
  const data: Buffer[] = [];
  let dataSize = 0;
  const root: TreeNode = { children: [null, null] };
  for (const [cidr, record] of networks) {
    const encoded = encode(record);
    const offset = dataSize;
    data.push(encoded);
    dataSize += encoded.length;
    const [address = '', bitsText = ''] = cidr.split('/');
    const v4 = isIP(address) === 4;
    const value = v4 ? BigInt(ipv4ToNumber(address)) : ipv6ToBigInt(address);
    const bits = Number(bitsText) + (v4 ? 96 : 0);
    insert(root, value, bits, offset);
  }
  // Number the nodes breadth-first; data pointers are node_count + 16 + offset.
  const nodes: TreeNode[] = [];
  const index = new Map<TreeNode, number>();
  for (let queue: TreeNode[] = [root]; queue.length > 0; ) {
    const node = queue.shift()!;
    index.set(node, nodes.length);
    nodes.push(node);
    for (const child of node.children) if (child !== null && typeof child === 'object') queue.push(child);
  }
  const count = nodes.length;
  const tree = Buffer.alloc(count * 6);
  nodes.forEach((node, i) => {
    node.children.forEach((child, side) => {
      const record = child === null ? count : typeof child === 'number' ? count + 16 + child : index.get(child)!;
      tree.writeUIntBE(record, i * 6 + side * 3, 3);
    });
  });
  const metadata = encode({
    node_count: count,
    record_size: 24,
    ip_version: 6,
    database_type: databaseType,
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: Math.floor(Date.now() / 1000),
    description: { en: `keywatch test ${databaseType}` },
  });
  return Buffer.concat([tree, Buffer.alloc(16), ...data, Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com'), metadata]);
}

function insert(root: TreeNode, value: bigint, bits: number, offset: number): void {
  let node = root;
  for (let depth = 0; depth < bits; depth++) {
    const bit = Number((value >> BigInt(127 - depth)) & 1n) as 0 | 1;
    if (depth === bits - 1) {
      node.children[bit] = offset;
      return;
    }
    let next = node.children[bit];
    if (next === null || typeof next === 'number') {
      // A record inside a wider network's record: the wider data fills the other branch.
      const inherited = next;
      next = { children: [inherited, inherited] };
      node.children[bit] = next;
    }
    node = next;
  }
}

function control(type: number, size: number): Buffer {
  const head: number[] = [];
  let sizeBits: number;
  const tail: number[] = [];
  if (size < 29) sizeBits = size;
  else if (size < 285) {
    sizeBits = 29;
    tail.push(size - 29);
  } else {
    sizeBits = 30;
    const rest = size - 285;
    tail.push(rest >> 8, rest & 0xff);
  }
  if (type <= 7) head.push((type << 5) | sizeBits);
  else head.push(sizeBits, type - 7);
  return Buffer.from([...head, ...tail]);
}

function uint(type: number, value: number): Buffer {
  const bytes: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.concat([control(type, bytes.length), Buffer.from(bytes)]);
}

function encode(value: MmdbValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, bytes.length), bytes]);
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0) return uint(value > 0xffffffff ? 9 : 6, value);
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleBE(value);
    return Buffer.concat([control(3, 8), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map(encode)]);
  const entries = Object.entries(value);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, v]) => [encode(k), encode(v)])]);
}
