import {
  ACTION_BITS,
  ACTION_PEAKS,
  ACTION_WORDS,
  ACTIVITY_BUCKETS,
  type ActionPeak,
  type ActionVocabulary,
  FRESH_ACTIONS,
  type OpenGroup,
  PROFILE_LIMITS,
  type Profile,
  RECENT_EVENTS,
  type RecentEvent,
  type SeenValue,
} from './profile.ts';

/**
 * Binary form of a Profile, so a million keys fit in memory and on disk (issue 3: ≤ 1 KB per key).
 * Layout of version 4 (little-endian; docs/benchmarks.md has the table):
 *   u8 format version · u8 flags · u32 firstSeen, lastSeen, events, failures, writes ·
 *   u32 window.start, window.events, window.authFailures · f32 failureRate · u32 hour.start, hour.count · u8 hour.bucket ·
 *   u32 hour.previous, hour.peakWindow ·
 *   u16 activeDays · u32 longestGap · u8 clientKinds · f32 volume.hours, logMean, logUpperSq, peak, threshold ·
 *   [located: u32 t · i32 lat, lon (1e-7 degrees) · u8 length + ASCII country] ·
 *   [cloudLocated: u32 t · i32 lat, lon · u8 length + ASCII provider:region] ·
 *   5 value sets (ips, prefixes, asns, countries, userAgents): u8 count, then per value u32 h · u16|u32 n · u32 last ·
 *   activity: 21-byte bitmap of the non-zero hour-of-week buckets, then one u8 per non-zero bucket ·
 *   groups: u8 count, then per group u32 h · u32 until · 16 bytes alertId · u16|u32 count ·
 *   recent events (version 3 on): u8 count, then per event u32 id hash · u16 seconds before lastSeen ·
 *   actions (version 5 on): u8 0 (none) or 1, then 4 × u32 bits · u32 since, grewAt · u8 count, then per fresh
 *   action u8 bit · u32 since · u32 count · (version 6 on) u8 count, then per action peak u8 bit · u32 since ·
 *   u16 peak · u16 count.
 * A set's (or the groups') counts are u16 unless one of them needs more; a flag bit then makes them u32.
 * Times are exact epoch seconds. Counts saturate at 2^32 - 1 (activeDays at 2^16 - 1). The volume statistics
 * are float32 (relative error ≤ 2^-24).
 * Versions before 5 have no actions (recorded from the key's next call); version 5 has no action peaks (kept from
 * each action's next call).
 * Versions 2 and 3 have no hour.previous/peakWindow and keep the volume as mean and mean square of the counts:
 * their moments become log-scale ones by `logMoments`. Version 2 is version 3 without the recent events (they
 * decode as none).
 * Version 1 (48 weekday/weekend buckets of decayed call counts, 48 hourly rates) still decodes: `fromVersion1`
 * says how it is carried over.
 */
export const PROFILE_CODEC_VERSION = 6;

/** Version 1's weekday/weekend hour buckets. */
const V1_BUCKETS = 48;
const V1_BITMAP_BYTES = V1_BUCKETS / 8;
const BUCKETS = ACTIVITY_BUCKETS;
const BITMAP_BYTES = BUCKETS / 8;
const UINT8_MAX = 0xff;
const UINT16_MAX = 0xffff;
const UINT32_MAX = 0xffffffff;
/** Coordinates as integer 1e-7 degrees: exact for any geo database value with up to 7 decimals. */
const COORD_SCALE = 1e7;
const ALERT_ID_BYTES = 16;
const ALERT_ID = /^[0-9a-f]{32}$/;
const V1_HEADER_BYTES = 1 + 1 + 5 * 4 + 3 * 4 + 4 + 4 + 4 + 1;
const V3_HEADER_BYTES = V1_HEADER_BYTES + 2 + 4 + 1 + 5 * 4;
const HEADER_BYTES = V3_HEADER_BYTES + 2 * 4;

const SETS = ['ips', 'prefixes', 'asns', 'countries', 'userAgents'] as const;
type SetName = (typeof SETS)[number];

const FLAG_LOCATED = 1;
const FLAG_WIDE: Record<SetName | 'groups', number> = {
  ips: 1 << 1,
  prefixes: 1 << 2,
  asns: 1 << 3,
  countries: 1 << 4,
  userAgents: 1 << 5,
  groups: 1 << 6,
};
const FLAG_CLOUD_LOCATED = 1 << 7;
const KNOWN_FLAGS = 0xff;

const LOCATED_MAX_BYTES = 4 + 4 + 4 + 1 + 0xff;
const SET_VALUE_MAX_BYTES = 4 + 4 + 4;
const ACTIVITY_MAX_BYTES = BITMAP_BYTES + BUCKETS;
const GROUP_MAX_BYTES = 4 + 4 + ALERT_ID_BYTES + 4;
const RECENT_BYTES = 4 + 2;
const FRESH_BYTES = 1 + 4 + 4;
const PEAK_BYTES = 1 + 4 + 2 + 2;
const ACTIONS_BYTES = ACTION_WORDS * 4 + 4 + 4 + 1 + 1;

/** The most bytes any profile encodes to (every set and group at its limit, wide counts): a buffer this big always fits. */
export const MAX_ENCODED_PROFILE_BYTES =
  HEADER_BYTES +
  2 * LOCATED_MAX_BYTES +
  SETS.reduce((sum, name) => sum + 1 + PROFILE_LIMITS[name] * SET_VALUE_MAX_BYTES, 0) +
  ACTIVITY_MAX_BYTES +
  1 +
  PROFILE_LIMITS.groups * GROUP_MAX_BYTES +
  1 +
  RECENT_EVENTS.count * RECENT_BYTES +
  1 +
  ACTIONS_BYTES +
  FRESH_ACTIONS * FRESH_BYTES +
  ACTION_PEAKS * PEAK_BYTES;

export function encodeProfile(p: Profile): Uint8Array {
  const layout = layoutOf(p, true);
  const bytes = new Uint8Array(layout.size);
  writeProfile(p, layout.flags, bytes, layout.size);
  return bytes;
}

/**
 * Encodes into `target` from its first byte and returns the length: lets a store reuse one scratch
 * buffer (MAX_ENCODED_PROFILE_BYTES long) instead of allocating per put.
 */
export function encodeProfileInto(p: Profile, target: Uint8Array): number {
  // A target that holds the largest profile needs no exact size beforehand: one pass fewer over the histogram.
  if (target.length >= MAX_ENCODED_PROFILE_BYTES) return writeProfile(p, layoutOf(p, false).flags, target, target.length);
  const layout = layoutOf(p, true);
  if (layout.size > target.length)
    throw new Error(`cannot encode profile: needs ${layout.size} bytes, the target holds ${target.length}`);
  return writeProfile(p, layout.flags, target, layout.size);
}

interface Layout {
  size: number;
  flags: number;
}

/**
 * Checks the shape and works out the flags and (when `exact`) the exact size, so writing needs no second look.
 * Without `exact`, the size leaves out the activity histogram's non-zero buckets.
 */
function layoutOf(p: Profile, exact: boolean): Layout {
  if (p.version !== 2) throw new Error(`cannot encode profile: version ${String(p.version)} is not 2`);
  if (p.firstSeen > p.lastSeen)
    throw new Error(`cannot encode profile: firstSeen ${p.firstSeen} is after lastSeen ${p.lastSeen}`);
  let flags = 0;
  let size = HEADER_BYTES;
  if (p.located !== null) {
    flags |= FLAG_LOCATED;
    size += 4 + 4 + 4 + 1 + p.located.country.length;
  }
  if (p.cloudLocated) {
    flags |= FLAG_CLOUD_LOCATED;
    size += 4 + 4 + 4 + 1 + p.cloudLocated.place.length;
  }
  // One call per set, not a loop over the names: `p[name]` with five names is a slow keyed load per set.
  flags |= setFlag(p.ips, 'ips');
  flags |= setFlag(p.prefixes, 'prefixes');
  flags |= setFlag(p.asns, 'asns');
  flags |= setFlag(p.countries, 'countries');
  flags |= setFlag(p.userAgents, 'userAgents');
  size += setBytes(p.ips, flags, FLAG_WIDE.ips);
  size += setBytes(p.prefixes, flags, FLAG_WIDE.prefixes);
  size += setBytes(p.asns, flags, FLAG_WIDE.asns);
  size += setBytes(p.countries, flags, FLAG_WIDE.countries);
  size += setBytes(p.userAgents, flags, FLAG_WIDE.userAgents);
  size += activitySize(p.activity, exact);
  if (p.groups.length > PROFILE_LIMITS.groups)
    throw new Error(`cannot encode profile: groups holds ${p.groups.length}, limit ${PROFILE_LIMITS.groups}`);
  const wideGroups = hasWideGroupCount(p.groups);
  if (wideGroups) flags |= FLAG_WIDE.groups;
  size += 1 + p.groups.length * (8 + ALERT_ID_BYTES + (wideGroups ? 4 : 2));
  const recent = p.recent?.length ?? 0;
  if (recent > RECENT_EVENTS.count)
    throw new Error(`cannot encode profile: recent holds ${recent} events, limit ${RECENT_EVENTS.count}`);
  size += 1 + recent * RECENT_BYTES;
  size += 1;
  if (p.actions !== undefined) {
    if (p.actions.fresh.length > FRESH_ACTIONS)
      throw new Error(`cannot encode profile: actions.fresh holds ${p.actions.fresh.length}, limit ${FRESH_ACTIONS}`);
    if (p.actions.peaks.length > ACTION_PEAKS)
      throw new Error(`cannot encode profile: actions.peaks holds ${p.actions.peaks.length}, limit ${ACTION_PEAKS}`);
    size += ACTIONS_BYTES + p.actions.fresh.length * FRESH_BYTES + p.actions.peaks.length * PEAK_BYTES;
  }
  return { size, flags };
}

/** The set's wide flag if one of its counts needs 32 bits, else 0; throws if it holds more than its limit. */
function setFlag(set: readonly SeenValue[], name: SetName): number {
  if (set.length > PROFILE_LIMITS[name])
    throw new Error(`cannot encode profile: ${name} holds ${set.length} values, limit ${PROFILE_LIMITS[name]}`);
  return hasWideCount(set) ? FLAG_WIDE[name] : 0;
}

function setBytes(set: readonly SeenValue[], flags: number, wideFlag: number): number {
  return 1 + set.length * (8 + ((flags & wideFlag) !== 0 ? 4 : 2));
}

function hasWideCount(set: readonly SeenValue[]): boolean {
  for (const v of set) if (v.n > UINT16_MAX) return true;
  return false;
}

function hasWideGroupCount(groups: readonly OpenGroup[]): boolean {
  for (const g of groups) if (g.count > UINT16_MAX) return true;
  return false;
}

/** Writes within the first `limit` bytes of `target` and returns the length written. */
function writeProfile(p: Profile, flags: number, target: Uint8Array, limit: number): number {
  const w = new Writer(target, limit);
  w.u8(PROFILE_CODEC_VERSION);
  w.u8(flags);
  w.time(p.firstSeen, 'firstSeen');
  w.time(p.lastSeen, 'lastSeen');
  w.count(p.events, 'events');
  w.count(p.failures, 'failures');
  w.count(p.writes, 'writes');
  w.time(p.window.start, 'window.start');
  w.count(p.window.events, 'window.events');
  w.count(p.window.authFailures, 'window.authFailures');
  w.f32(p.failureRate, 'failureRate');
  w.time(p.hour.start, 'hour.start');
  w.count(p.hour.count, 'hour.count');
  if (!Number.isInteger(p.hour.bucket) || p.hour.bucket < 0 || p.hour.bucket >= BUCKETS) {
    throw new Error(`cannot encode profile: hour.bucket ${p.hour.bucket} is not 0..${BUCKETS - 1}`);
  }
  w.u8(p.hour.bucket);
  w.count(p.hour.previous, 'hour.previous');
  w.count(p.hour.peakWindow, 'hour.peakWindow');
  w.u16Count(Math.min(p.activeDays, UINT16_MAX), 'activeDays');
  w.time(p.longestGap, 'longestGap');
  w.small(p.clientKinds, 'clientKinds');
  w.f32(p.volume.hours, 'volume.hours');
  w.f32(p.volume.logMean, 'volume.logMean');
  w.f32(p.volume.logUpperSq, 'volume.logUpperSq');
  w.f32(p.volume.peak, 'volume.peak');
  w.f32(p.volume.threshold, 'volume.threshold');
  if (p.located !== null) writePoint(w, p.located, p.located.country, 'located', 'country');
  if (p.cloudLocated) writePoint(w, p.cloudLocated, p.cloudLocated.place, 'cloudLocated', 'place');
  writeSet(w, p.ips, (flags & FLAG_WIDE.ips) !== 0, SET_FIELDS.ips);
  writeSet(w, p.prefixes, (flags & FLAG_WIDE.prefixes) !== 0, SET_FIELDS.prefixes);
  writeSet(w, p.asns, (flags & FLAG_WIDE.asns) !== 0, SET_FIELDS.asns);
  writeSet(w, p.countries, (flags & FLAG_WIDE.countries) !== 0, SET_FIELDS.countries);
  writeSet(w, p.userAgents, (flags & FLAG_WIDE.userAgents) !== 0, SET_FIELDS.userAgents);
  writeActivity(w, p.activity);
  writeGroups(w, p.groups, (flags & FLAG_WIDE.groups) !== 0);
  writeRecent(w, p.recent ?? [], p.lastSeen);
  writeActions(w, p.actions);
  return w.length;
}

export function decodeProfile(b: Uint8Array): Profile {
  const r = new Reader(b);
  r.need(1, 'header');
  const version = r.u8();
  if (version < 1 || version > PROFILE_CODEC_VERSION) {
    throw new Error(
      `cannot decode profile: encoding version ${version}, this keywatch reads versions 1 to ${PROFILE_CODEC_VERSION}`,
    );
  }
  r.need((version === 1 ? V1_HEADER_BYTES : version < 4 ? V3_HEADER_BYTES : HEADER_BYTES) - 1, 'header');
  const flags = r.u8();
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new Error(`cannot decode profile: unknown flags 0x${flags.toString(16)}`);
  const firstSeen = r.u32();
  const lastSeen = r.u32();
  if (firstSeen > lastSeen) throw new Error(`cannot decode profile: firstSeen ${firstSeen} is after lastSeen ${lastSeen}`);
  const events = r.u32();
  const failures = r.u32();
  const writes = r.u32();
  const window = { start: r.u32(), events: r.u32(), authFailures: r.u32() };
  const failureRate = r.f32('failureRate');
  const hour = { start: r.u32(), count: r.u32(), previous: 0, peakWindow: 0, bucket: r.u8() };
  if (version >= 4) {
    hour.previous = r.u32();
    hour.peakWindow = r.u32();
  }
  const buckets = version === 1 ? V1_BUCKETS : BUCKETS;
  if (hour.bucket >= buckets) throw new Error(`cannot decode profile: hour.bucket ${hour.bucket} is not 0..${buckets - 1}`);
  const activeDays = version === 1 ? 0 : r.u16();
  const longestGap = version === 1 ? 0 : r.u32();
  const clientKinds = version === 1 ? 0 : r.u8();
  const volume = version === 1 ? { hours: 0, logMean: 0, logUpperSq: 0, peak: 0, threshold: 0 } : readVolume(r, version);
  const located = (flags & FLAG_LOCATED) !== 0 ? readLocated(r) : null;
  const cloudLocated = (flags & FLAG_CLOUD_LOCATED) !== 0 ? readCloudLocated(r) : null;
  const ips = readSet(r, 'ips', (flags & FLAG_WIDE.ips) !== 0);
  const prefixes = readSet(r, 'prefixes', (flags & FLAG_WIDE.prefixes) !== 0);
  const asns = readSet(r, 'asns', (flags & FLAG_WIDE.asns) !== 0);
  const countries = readSet(r, 'countries', (flags & FLAG_WIDE.countries) !== 0);
  const userAgents = readSet(r, 'userAgents', (flags & FLAG_WIDE.userAgents) !== 0);
  let activity: number[];
  if (version === 1) {
    const old = fromVersion1(readSparse(r, 'activity'), readSparse(r, 'hourlyRate'), firstSeen, lastSeen);
    activity = old.activity;
    Object.assign(volume, old.volume);
    // Version 1 buckets were weekday/weekend hours; the hour in progress is re-counted from its next call.
    hour.bucket = 0;
  } else {
    activity = readActivity(r);
  }
  const groups = readGroups(r, (flags & FLAG_WIDE.groups) !== 0);
  const recent = version >= 3 ? readRecent(r, lastSeen) : [];
  const actions = version >= 5 ? readActions(r, version) : undefined;
  r.end();
  // Built field by field in the order of the type (and of the objects detect builds), not with conditional
  // spreads, which cost more than the rest of the decoding.
  const profile = {
    version: 2,
    firstSeen,
    lastSeen,
    events,
    failures,
    writes,
    ips,
    prefixes,
    asns,
    countries,
    userAgents,
    activity,
    window,
    failureRate,
    located,
  } as Profile;
  if (cloudLocated !== null) profile.cloudLocated = cloudLocated;
  profile.hour = hour;
  profile.volume = volume;
  profile.activeDays = activeDays;
  profile.longestGap = longestGap;
  profile.clientKinds = clientKinds;
  profile.groups = groups;
  if (recent.length > 0) profile.recent = recent;
  if (actions !== undefined) profile.actions = actions;
  return profile;
}

const WEEK = 7 * 86400;

/**
 * A version-1 profile carried over. Its activity said how many (decayed) calls fell in each hour on weekdays
 * and on weekends, not in how many weeks: an hour with at least 2 calls counts as used in every week of the
 * key's history, on each weekday (or weekend day); a single call as used once. Its per-bucket hourly rates
 * become the volume statistics, assuming a coefficient of variation of 1 (bursty) until real hours replace them.
 * Active days and the longest gap are unknown: they start at 0 (dormant_key uses its fallback until known).
 */
function fromVersion1(old: number[], rates: number[], firstSeen: number, lastSeen: number) {
  const weeks = Math.min(UINT8_MAX, Math.max(1, Math.round((lastSeen - firstSeen) / WEEK)));
  const activity = new Array<number>(BUCKETS).fill(0);
  for (let i = 0; i < V1_BUCKETS; i++) {
    const calls = old[i]!;
    if (calls <= 0) continue;
    const value = calls >= 2 ? weeks : 1;
    const days = i < 24 ? [0, 1, 2, 3, 4] : [5, 6];
    for (const d of days) activity[d * 24 + (i % 24)] = value;
  }
  const used = rates.filter((r) => r > 0);
  const mean = used.length === 0 ? 0 : used.reduce((a, b) => a + b, 0) / used.length;
  const meanSq = used.length === 0 ? 0 : used.reduce((a, b) => a + b * b, 0) / used.length + mean * mean;
  return { activity, volume: { hours: used.length, ...logMoments(mean, meanSq), peak: Math.max(0, ...used), threshold: 0 } };
}

/** Versions 2 and 3 kept the volume as mean and mean square of the counts; version 4 on a log scale. */
function readVolume(r: Reader, version: number): Profile['volume'] {
  const counts = version < 4;
  const hours = r.f32('volume.hours');
  const a = r.f32(counts ? 'volume.mean' : 'volume.logMean');
  const b = r.f32(counts ? 'volume.meanSq' : 'volume.logUpperSq');
  const peak = r.f32('volume.peak');
  const threshold = r.f32('volume.threshold');
  // An older threshold came from another model: recomputed when the next hour closes.
  if (counts) return { hours, ...logMoments(a, b), peak, threshold: 0 };
  return { hours, logMean: a, logUpperSq: b, peak, threshold };
}

/**
 * Log-normal moments matching a mean and mean square of counts (method of moments); the upper semi-variance
 * of a symmetric log distribution is half its variance.
 */
function logMoments(mean: number, meanSq: number): { logMean: number; logUpperSq: number } {
  if (mean <= 0) return { logMean: 0, logUpperSq: 0 };
  const sigma2 = Math.log(Math.max(1, meanSq / (mean * mean)));
  // Counts are at least 1 per active hour, so the log mean is never below 0.
  return { logMean: Math.max(0, Math.log(mean) - sigma2 / 2), logUpperSq: sigma2 / 2 };
}

/** Field names for errors, built once rather than per value ("ips[].n" becomes "ips[3].n" when thrown). */
const SET_FIELDS = Object.fromEntries(
  SETS.map((name) => [name, { h: `${name}[].h`, n: `${name}[].n`, last: `${name}[].last` }]),
) as Record<SetName, { h: string; n: string; last: string }>;

function writeSet(w: Writer, set: readonly SeenValue[], wide: boolean, f: { h: string; n: string; last: string }): void {
  w.u8(set.length);
  for (let i = 0; i < set.length; i++) {
    const v = set[i]!;
    w.u32Exact(v.h, f.h, i);
    if (wide) w.count(v.n, f.n, i);
    else w.u16Count(v.n, f.n, i);
    w.time(v.last, f.last, i);
  }
}

function readSet(r: Reader, name: SetName, wide: boolean): SeenValue[] {
  r.need(1, name);
  const length = r.u8();
  if (length > PROFILE_LIMITS[name])
    throw new Error(`cannot decode profile: ${name} holds ${length} values, limit ${PROFILE_LIMITS[name]}`);
  r.need(length * (8 + (wide ? 4 : 2)), name);
  const set: SeenValue[] = new Array(length);
  for (let i = 0; i < length; i++) set[i] = { h: r.u32(), n: wide ? r.u32() : r.u16(), last: r.u32() };
  return set;
}

/** Bitmap of the non-zero hour-of-week buckets, then one byte each: a key active weekdays 9-17 stores 21 + 40 bytes. */
function activitySize(buckets: readonly number[], exact: boolean): number {
  if (buckets.length !== BUCKETS)
    throw new Error(`cannot encode profile: activity has ${buckets.length} buckets, expected ${BUCKETS}`);
  if (!exact) return BITMAP_BYTES;
  let nonZero = 0;
  for (let i = 0; i < BUCKETS; i++) if (buckets[i] !== 0) nonZero++;
  return BITMAP_BYTES + nonZero;
}

function writeActivity(w: Writer, buckets: readonly number[]): void {
  const bitmapAt = w.skip(BITMAP_BYTES);
  for (let i = 0; i < BUCKETS; i++) {
    const v = buckets[i]!;
    if (v === 0) continue;
    w.setBit(bitmapAt, i);
    w.small(v, 'activity[]', i);
  }
}

function readActivity(r: Reader): number[] {
  r.need(BITMAP_BYTES, 'activity');
  const bitmapAt = r.skip(BITMAP_BYTES);
  let present = 0;
  for (let j = 0; j < BITMAP_BYTES; j++) present += popCount(r.byteAt(bitmapAt + j));
  r.need(present, 'activity');
  // A copy of an all-zero array: cheaper than `new Array(n).fill(0)`, and a packed array, faster to read.
  const buckets = ZERO_ACTIVITY.slice();
  for (let j = 0; j < BITMAP_BYTES; j++) {
    // Only the set bits, lowest first: most keys use a few dozen of the 168 hours.
    for (let byte = r.byteAt(bitmapAt + j); byte !== 0; byte &= byte - 1) {
      const i = j * 8 + (31 - Math.clz32(byte & -byte));
      const v = r.u8();
      if (v === 0) throw new Error(`cannot decode profile: activity[${i}] is marked non-zero but is 0`);
      buckets[i] = v;
    }
  }
  return buckets;
}

const ZERO_ACTIVITY: readonly number[] = Array.from({ length: BUCKETS }, () => 0);

/** Version 1's float buckets: bit i of the bitmap (a u32 for buckets 0-31, then a u16 for 32-47), then f32 values. */
function readSparse(r: Reader, field: string): number[] {
  r.need(V1_BITMAP_BYTES, field);
  const low = r.u32();
  const high = r.u16();
  r.need((popCount(low) + popCount(high)) * 4, field);
  const buckets = new Array<number>(V1_BUCKETS).fill(0);
  for (let i = 0; i < V1_BUCKETS; i++) {
    const present = i < 32 ? (low >>> i) & 1 : (high >>> (i - 32)) & 1;
    if (present === 0) continue;
    const v = r.f32(field, i);
    if (v === 0) throw new Error(`cannot decode profile: ${field}[${i}] is marked non-zero but is 0`);
    buckets[i] = v;
  }
  return buckets;
}

function popCount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

/** `located` and `cloudLocated` share a layout: time, coordinates, one short ASCII label (country, provider:region). */
function writePoint(
  w: Writer,
  point: { t: number; lat: number; lon: number },
  label: string,
  field: string,
  labelField: string,
): void {
  w.time(point.t, `${field}.t`);
  w.coordinate(point.lat, 90, `${field}.lat`);
  w.coordinate(point.lon, 180, `${field}.lon`);
  w.ascii(label, `${field}.${labelField}`);
}

function readLocated(r: Reader): Profile['located'] {
  r.need(13, 'located');
  const t = r.u32();
  const lat = r.coordinate(90, 'located.lat');
  const lon = r.coordinate(180, 'located.lon');
  return { t, lat, lon, country: r.ascii('located.country') };
}

function readCloudLocated(r: Reader): Profile['cloudLocated'] {
  r.need(13, 'cloudLocated');
  const t = r.u32();
  const lat = r.coordinate(90, 'cloudLocated.lat');
  const lon = r.coordinate(180, 'cloudLocated.lon');
  return { t, lat, lon, place: r.ascii('cloudLocated.place') };
}

function writeGroups(w: Writer, groups: readonly OpenGroup[], wide: boolean): void {
  w.u8(groups.length);
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    w.u32Exact(g.h, 'groups[].h', i);
    w.time(g.until, 'groups[].until', i);
    w.alertId(g.alertId, 'groups[].alertId', i);
    if (wide) w.count(g.count, 'groups[].count', i);
    else w.u16Count(g.count, 'groups[].count', i);
  }
}

function readGroups(r: Reader, wide: boolean): OpenGroup[] {
  r.need(1, 'groups');
  const length = r.u8();
  if (length > PROFILE_LIMITS.groups)
    throw new Error(`cannot decode profile: groups holds ${length}, limit ${PROFILE_LIMITS.groups}`);
  r.need(length * (8 + ALERT_ID_BYTES + (wide ? 4 : 2)), 'groups');
  const groups: OpenGroup[] = new Array(length);
  for (let i = 0; i < length; i++) {
    groups[i] = { h: r.u32(), until: r.u32(), alertId: r.alertId(), count: wide ? r.u32() : r.u16() };
  }
  return groups;
}

/** Recent events as id hash and age before `lastSeen`: they lie within RECENT_EVENTS.seconds of it, so 16 bits hold it. */
function writeActions(w: Writer, v: ActionVocabulary | undefined): void {
  if (v === undefined) {
    w.u8(0);
    return;
  }
  w.u8(1);
  if (v.bits.length !== ACTION_WORDS)
    throw new Error(`cannot encode profile: actions.bits has ${v.bits.length} words, expected ${ACTION_WORDS}`);
  for (let i = 0; i < ACTION_WORDS; i++) w.u32Exact(v.bits[i]!, 'actions.bits[]', i);
  w.time(v.since, 'actions.since');
  w.time(v.grewAt, 'actions.grewAt');
  w.u8(v.fresh.length);
  for (let i = 0; i < v.fresh.length; i++) {
    const f = v.fresh[i]!;
    if (!Number.isInteger(f.bit) || f.bit < 0 || f.bit >= ACTION_BITS)
      badValue('actions.fresh[].bit', i, f.bit, `0..${ACTION_BITS - 1}`);
    w.u8(f.bit);
    w.time(f.since, 'actions.fresh[].since', i);
    w.count(f.count, 'actions.fresh[].count', i);
  }
  w.u8(v.peaks.length);
  for (let i = 0; i < v.peaks.length; i++) {
    const p = v.peaks[i]!;
    if (!Number.isInteger(p.bit) || p.bit < 0 || p.bit >= ACTION_BITS)
      badValue('actions.peaks[].bit', i, p.bit, `0..${ACTION_BITS - 1}`);
    w.u8(p.bit);
    w.time(p.since, 'actions.peaks[].since', i);
    w.u16Count(Math.min(p.peak, UINT16_MAX), 'actions.peaks[].peak', i);
    w.u16Count(Math.min(p.count, UINT16_MAX), 'actions.peaks[].count', i);
  }
}

function readActions(r: Reader, version: number): ActionVocabulary | undefined {
  r.need(1, 'actions');
  const present = r.u8();
  if (present === 0) return undefined;
  if (present !== 1) throw new Error(`cannot decode profile: actions marker is ${present}, expected 0 or 1`);
  r.need(ACTIONS_BYTES - (version >= 6 ? 0 : 1), 'actions');
  const bits = new Array<number>(ACTION_WORDS);
  for (let i = 0; i < ACTION_WORDS; i++) bits[i] = r.u32();
  const since = r.u32();
  const grewAt = r.u32();
  const length = r.u8();
  if (length > FRESH_ACTIONS) throw new Error(`cannot decode profile: actions.fresh holds ${length}, limit ${FRESH_ACTIONS}`);
  r.need(length * FRESH_BYTES, 'actions.fresh');
  const fresh = new Array(length);
  for (let i = 0; i < length; i++) {
    const bit = r.u8();
    if (bit >= ACTION_BITS) throw new Error(`cannot decode profile: actions.fresh[${i}].bit ${bit} is not 0..${ACTION_BITS - 1}`);
    fresh[i] = { bit, since: r.u32(), count: r.u32() };
  }
  return { bits, since, grewAt, fresh, peaks: version >= 6 ? readPeaks(r) : [] };
}

function readPeaks(r: Reader): ActionPeak[] {
  r.need(1, 'actions.peaks');
  const length = r.u8();
  if (length > ACTION_PEAKS) throw new Error(`cannot decode profile: actions.peaks holds ${length}, limit ${ACTION_PEAKS}`);
  r.need(length * PEAK_BYTES, 'actions.peaks');
  const peaks = new Array<ActionPeak>(length);
  for (let i = 0; i < length; i++) {
    const bit = r.u8();
    if (bit >= ACTION_BITS) throw new Error(`cannot decode profile: actions.peaks[${i}].bit ${bit} is not 0..${ACTION_BITS - 1}`);
    peaks[i] = { bit, since: r.u32(), peak: r.u16(), count: r.u16() };
  }
  return peaks;
}

function writeRecent(w: Writer, recent: readonly RecentEvent[], lastSeen: number): void {
  w.u8(recent.length);
  for (let i = 0; i < recent.length; i++) {
    const e = recent[i]!;
    w.u32Exact(e.h, 'recent[].h', i);
    const age = lastSeen - e.t;
    if (!Number.isInteger(age) || age < 0 || age > UINT16_MAX)
      badValue('recent[].t', i, e.t, `a time within ${UINT16_MAX} seconds before lastSeen ${lastSeen}`);
    w.u16Count(age, 'recent[].t', i);
  }
}

function readRecent(r: Reader, lastSeen: number): RecentEvent[] {
  r.need(1, 'recent');
  const length = r.u8();
  if (length > RECENT_EVENTS.count)
    throw new Error(`cannot decode profile: recent holds ${length} events, limit ${RECENT_EVENTS.count}`);
  r.need(length * RECENT_BYTES, 'recent');
  const recent: RecentEvent[] = new Array(length);
  for (let i = 0; i < length; i++) {
    const h = r.u32();
    const age = r.u16();
    if (age > lastSeen) throw new Error(`cannot decode profile: recent[${i}] is ${age} seconds before lastSeen ${lastSeen}`);
    recent[i] = { h, t: lastSeen - age };
  }
  return recent;
}

/** Writes into a buffer sized exactly beforehand; every value is checked, and a bad one is named. */
class Writer {
  readonly bytes: Uint8Array;
  readonly #view: DataView;
  #at = 0;

  constructor(target: Uint8Array, size: number) {
    this.bytes = target;
    this.#view = new DataView(target.buffer, target.byteOffset, size);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#at;
  }

  u8(v: number): void {
    this.bytes[this.#at++] = v;
  }

  /** Reserves `n` bytes, written later (`bitmap`), and returns where they start. */
  skip(n: number): number {
    const at = this.#at;
    this.bytes.fill(0, at, at + n);
    this.#at += n;
    return at;
  }

  /** Sets bit `i` of the bitmap reserved at `at` (the bytes were zeroed by `skip`). */
  setBit(at: number, i: number): void {
    this.bytes[at + (i >> 3)]! |= 1 << (i & 7);
  }

  /** An integer 0..255 in one byte. */
  small(v: number, field: string, index = -1): void {
    if (!Number.isInteger(v) || v < 0 || v > UINT8_MAX) badValue(field, index, v, 'an integer in 0..255');
    this.u8(v);
  }

  time(v: number, field: string, index = -1): void {
    if (!isUint32(v)) badValue(field, index, v, `an epoch-seconds time in 0..${UINT32_MAX}`);
    this.#u32(v);
  }

  u32Exact(v: number, field: string, index = -1): void {
    if (!isUint32(v)) badValue(field, index, v, 'a uint32');
    this.#u32(v);
  }

  /** Counts saturate: a key past 4 billion calls stays "very busy". */
  count(v: number, field: string, index = -1): void {
    if (!Number.isInteger(v) || v < 0) badValue(field, index, v, 'a count (integer ≥ 0)');
    this.#u32(Math.min(v, UINT32_MAX));
  }

  /** Only called for sets whose counts all fit 16 bits (the caller chose the width), so nothing saturates. */
  u16Count(v: number, field: string, index = -1): void {
    if (!Number.isInteger(v) || v < 0) badValue(field, index, v, 'a count (integer ≥ 0)');
    this.#view.setUint16(this.#at, v, true);
    this.#at += 2;
  }

  f32(v: number, field: string, index = -1): void {
    if (!Number.isFinite(Math.fround(v)) || v < 0) badValue(field, index, v, 'a finite float32 ≥ 0');
    this.#view.setFloat32(this.#at, v, true);
    this.#at += 4;
  }

  coordinate(v: number, limit: number, field: string): void {
    if (!Number.isFinite(v) || Math.abs(v) > limit) badValue(field, -1, v, `a coordinate within ±${limit}`);
    this.#view.setInt32(this.#at, Math.round(v * COORD_SCALE), true);
    this.#at += 4;
  }

  ascii(s: string, field: string): void {
    if (s.length > 0xff || !PRINTABLE_ASCII.test(s)) badValue(field, -1, JSON.stringify(s), 'short printable ASCII');
    this.u8(s.length);
    for (let i = 0; i < s.length; i++) this.u8(s.charCodeAt(i));
  }

  alertId(id: string, field: string, index: number): void {
    if (!ALERT_ID.test(id)) badValue(field, index, JSON.stringify(id), '32 lowercase hex characters');
    for (let i = 0; i < ALERT_ID_BYTES; i++) this.u8(Number.parseInt(id.slice(i * 2, i * 2 + 2), 16));
  }

  #u32(v: number): void {
    this.#view.setUint32(this.#at, v, true);
    this.#at += 4;
  }
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function isUint32(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= UINT32_MAX;
}

function badValue(field: string, index: number, v: unknown, expected: string): never {
  const name = index < 0 ? field : field.replace('[]', `[${index}]`);
  throw new Error(`cannot encode profile: ${name} = ${String(v)} is not ${expected}`);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Reads with explicit bounds checks (`need`) so truncated input names the part that is missing. */
class Reader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(n: number, part: string): void {
    if (this.#at + n > this.#bytes.length) {
      throw new Error(
        `cannot decode profile: truncated in ${part} (needs ${n} bytes at offset ${this.#at}, input has ${this.#bytes.length})`,
      );
    }
  }

  end(): void {
    const rest = this.#bytes.length - this.#at;
    if (rest !== 0) throw new Error(`cannot decode profile: ${rest} unexpected bytes after the end at offset ${this.#at}`);
  }

  u8(): number {
    return this.#bytes[this.#at++]!;
  }

  /** Steps over `n` bytes (checked by `need`) and returns where they start, to be read with `byteAt`. */
  skip(n: number): number {
    const at = this.#at;
    this.#at += n;
    return at;
  }

  byteAt(at: number): number {
    return this.#bytes[at]!;
  }

  u16(): number {
    const v = this.#view.getUint16(this.#at, true);
    this.#at += 2;
    return v;
  }

  u32(): number {
    const v = this.#view.getUint32(this.#at, true);
    this.#at += 4;
    return v;
  }

  f32(field: string, index = -1): number {
    const v = this.#view.getFloat32(this.#at, true);
    this.#at += 4;
    if (!Number.isFinite(v) || v < 0) {
      throw new Error(`cannot decode profile: ${index < 0 ? field : `${field}[${index}]`} = ${v} is not a finite number ≥ 0`);
    }
    return v;
  }

  coordinate(limit: number, field: string): number {
    const v = this.#view.getInt32(this.#at, true) / COORD_SCALE;
    this.#at += 4;
    if (Math.abs(v) > limit) throw new Error(`cannot decode profile: ${field} = ${v} is not within ±${limit}`);
    return v;
  }

  ascii(field: string): string {
    const length = this.u8();
    this.need(length, field);
    let s = '';
    for (let i = 0; i < length; i++) {
      const c = this.u8();
      if (c < 0x20 || c > 0x7e) throw new Error(`cannot decode profile: ${field} holds a non-printable byte 0x${c.toString(16)}`);
      s += String.fromCharCode(c);
    }
    return s;
  }

  alertId(): string {
    let id = '';
    for (let i = 0; i < ALERT_ID_BYTES; i++) id += HEX[this.u8()];
    return id;
  }
}
