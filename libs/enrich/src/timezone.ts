/** Zones already accepted: building an Intl.DateTimeFormat per event would dominate enrichment time. */
const knownZones = new Set<string>(['UTC']);

/** Throws naming the zone unless the runtime's Intl knows it. */
export function assertTimezone(zone: string): void {
  if (knownZones.has(zone)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new Error(`unknown IANA timezone "${zone}"`);
  }
  knownZones.add(zone);
}
