import type { BusinessHours } from '@keywatch/enrich';

export type Scope = 'read-only' | 'read-write';

/** What the operator declared about one credential, with the registry defaults filled in. Frozen. */
export interface KeyInfo {
  /** Credential id as keywatch sees it: access key id, SA key name, `token:<id>`, gateway key id. */
  id: string;
  /** Who to tell. */
  owner: string | null;
  scope: Scope | null;
  /** IANA timezone (`UTC` unless declared). */
  timezone: string;
  businessHours: BusinessHours | null;
  /** CIDRs (or single addresses) the key is expected to be used from; empty = not declared. */
  allowedCidrs: string[];
  /** ISO 3166-1 alpha-2 codes, upper case; empty = not declared. */
  allowedCountries: string[];
  /** `YYYY-MM-DD` the key was created. */
  created: string | null;
  /** Days after `created` by which the key should be rotated. */
  rotationDays: number | null;
  tags: string[];
  description: string | null;
  /** False for a key the registry does not list: it got the defaults only. */
  declared: boolean;
}

export interface KeyRegistry {
  /** The key's declaration, or the defaults with `declared: false` for a key not listed. */
  get(credentialId: string): KeyInfo;
  /** Every listed key, in file order. */
  declaredKeys(): KeyInfo[];
}
