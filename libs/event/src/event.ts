/**
 * The canonical event: what every source adapter produces and every later stage consumes.
 * One provider call made with one credential. Field meanings are in docs/canonical-event.md.
 */

export const ACCESS_CLASSES = ['read', 'write', 'unknown'] as const;
export type AccessClass = (typeof ACCESS_CLASSES)[number];

export const OUTCOMES = ['success', 'failure'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Format ids are registered by the source adapters (`SOURCE_FORMATS` in @keywatch/sources); here only their shape. */
export const SOURCE_FORMAT_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * What signed a call, which decides where its baseline lives (docs/detection.md):
 * `key` a long-lived credential (AWS `AKIA…` key, GCP service-account key, GitHub token, gateway key);
 * `role_session` temporary credentials of an assumed role (`ASIA…`, `userIdentity.type: AssumedRole`);
 * `user_session` temporary credentials of a user (AWS console sign-in, GetSessionToken, federation);
 * `principal` no credential id was logged: the call is keyed by who made it (web sessions, some console calls).
 */
export const CREDENTIAL_KINDS = ['key', 'role_session', 'user_session', 'principal'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** A secret found in a source record. The value itself is never kept: only where and what it was. */
export interface FoundSecret {
  /** Kind of secret, e.g. `aws_secret_access_key`, `github_pat`, `private_key`. */
  kind: string;
  /** JSON path inside the source record where it was found, e.g. `requestParameters.headers.apikey`. */
  path: string;
  /**
   * First 12 hex chars of a keyed HMAC-SHA-256 of the value (the key is the installation's, kept with
   * the state): matches the same secret again, cannot be tested against guesses without the key.
   */
  fingerprint: string;
  /**
   * `false` when the provider logs this secret on every call of its kind (the session token in an STS
   * AssumeRole response): redacted like any other, but not a leak to alert on. Absent means true.
   */
  alert?: false;
}

export interface CanonicalEvent {
  /** Id of the source event (CloudTrail eventID, GCP insertId, GitHub _document_id, gateway request id). */
  id: string;
  /** Time of the call, ISO 8601 in UTC with milliseconds (`2026-03-04T02:17:09.000Z`). */
  time: string;
  /** Provider whose credential was used: `aws`, `gcp`, `github`, or the gateway name. */
  provider: string;
  /** Source format the event was read from (`cloudtrail`, `gcp-audit`, …: a registered format id). */
  source: string;
  /** Public identifier of the credential: access key id, SA key name, token id, gateway key id. Never a secret. */
  credentialId: string;
  /** Who the credential belongs to or acted as, as logged (ARN, assumed-role ARN, email, login, consumer). */
  principal: string | null;
  /** What kind of credential signed the call; absent or null reads as `key`. */
  credentialKind?: CredentialKind | null;
  /**
   * The stable identity behind the credential: the IAM user ARN, the role ARN of a role session
   * (`sessionContext.sessionIssuer.arn`), the GCP service account, the GitHub actor. Null when unknown.
   */
  identity?: string | null;
  /** The session of a temporary credential: the role session name (`i-0abc…` for EC2 instance roles). */
  session?: string | null;
  /**
   * Country the provider reports for the caller when it does not disclose the IP (GitHub
   * `actor_location.country_code`), ISO 3166-1 alpha-2. Geo lookups of `sourceIp` take precedence.
   */
  sourceCountry?: string | null;
  /** Account, project or organisation the call was made in. */
  account: string | null;
  /** Caller IP address; only ever a valid IPv4/IPv6 address. */
  sourceIp: string | null;
  /** Caller address as logged when it is not an IP (`AWS Internal`, `lambda.amazonaws.com`, `private`). */
  sourceAddress: string | null;
  userAgent: string | null;
  /** Provider action, `service:Operation` where the provider has services (`s3:DeleteBucket`). */
  action: string;
  resource: string | null;
  accessClass: AccessClass;
  outcome: Outcome;
  /** Provider error code when outcome is `failure` (`AccessDenied`, `7`, `403`). */
  errorCode: string | null;
  region: string | null;
  /** Secrets found in the source record, already redacted in everything keywatch keeps. */
  secrets: FoundSecret[];
}

/**
 * Event times keywatch accepts, as epoch milliseconds [min, max). Anything outside is a unit or parsing
 * mistake (or a forged record), and the profile codec stores times as unsigned 32-bit epoch seconds, which
 * end in 2106: a time outside this range is a dead letter at the edge, never a run-stopping error later.
 */
export const EVENT_TIME_RANGE = { minMs: Date.UTC(2000, 0, 1), maxMs: Date.UTC(2100, 0, 1) } as const;

/** True when `ms` (epoch milliseconds) is a time keywatch accepts (EVENT_TIME_RANGE). */
export function inEventTimeRange(ms: number): boolean {
  return ms >= EVENT_TIME_RANGE.minMs && ms < EVENT_TIME_RANGE.maxMs;
}
