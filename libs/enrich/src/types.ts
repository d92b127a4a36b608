/** What kind of network an address belongs to. `hosting` = cloud, hosting, VPN or relay operator; `isp` = any other ASN. */
export type NetworkKind = 'hosting' | 'private' | 'isp' | 'unknown';

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
}

export interface GeoLookup {
  lookup(ip: string): GeoInfo;
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
