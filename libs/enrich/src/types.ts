/** What kind of network an address belongs to. `hosting` = cloud, hosting, VPN or relay operator; `isp` = any other ASN. */
export type NetworkKind = 'hosting' | 'private' | 'isp' | 'unknown';

/** Where a cloud address is: its provider's region, placed at the region's metro area. */
export interface CloudLocation {
  provider: 'aws' | 'gcp' | 'azure';
  /** e.g. `us-east-1`, `europe-west3`, `westeurope`; null when only the ASN says it is this provider. */
  region: string | null;
  /** The region's coordinates; null when the region is unknown or not in the region table. */
  latitude: number | null;
  longitude: number | null;
}

export interface GeoInfo {
  /** ISO 3166-1 alpha-2 country code. */
  country: string | null;
  /** ISO 3166-2 subdivision (or FIPS) code, e.g. `ENG`, `CA`. */
  region: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  asn: number | null;
  asOrg: string | null;
  network: NetworkKind;
  /**
   * Set for AWS, Google Cloud and Azure addresses: the region from the providers' published ranges
   * (their registrant-based geo above says little about where the machine is). Null otherwise.
   * `createGeoLookup` always sets it; optional so hand-made GeoInfo values (tests) may leave it out.
   */
  cloud?: CloudLocation | null;
}

export interface GeoLookup {
  lookup(ip: string): GeoInfo;
  /** Stops watching operator-supplied data files; lookups keep working on the data already loaded. */
  close?(): void;
}

/** Declared working hours of a key, in its own timezone. */
export interface BusinessHours {
  /** ISO weekdays the hours start on: 1 = Monday .. 7 = Sunday. */
  days: number[];
  /** `HH:MM`, inclusive. */
  start: string;
  /** `HH:MM` (or `24:00`), exclusive. When end < start the hours span midnight into the next day. */
  end: string;
}

export interface TimeInfo {
  utcHour: number;
  /** ISO weekday in UTC: 1 = Monday .. 7 = Sunday. */
  utcWeekday: number;
  /** The timezone the local fields are in (`UTC` when none was declared). */
  timezone: string;
  localHour: number;
  localMinute: number;
  /** ISO weekday in the local timezone: 1 = Monday .. 7 = Sunday. */
  localWeekday: number;
  /** 0..167 in local time, Monday 00h = 0. */
  hourOfWeek: number;
  /** `YYYY-MM-DD` in the local timezone. */
  localDate: string;
  /** Null when no business hours were declared. */
  withinBusinessHours: boolean | null;
}
