import { DETECTOR_NAMES, type DetectInput, type EvidenceValue, type GroupedFinding } from '@keywatch/detect';
import { SEVERITY_NUMBER, type SeverityLabel, severityOf } from './severity.ts';

export const ECS_VERSION = '8.11.0';

/**
 * An alert as an ECS document (`event.kind: alert`), the shape Elastic Security shows as an external
 * alert. Every field is derived from the event and the finding, so the same input always yields the same
 * document: `event.ingested` is set by the destination that delivers it, not here.
 */
export interface EcsAlert {
  '@timestamp': string;
  message: string;
  ecs: { version: string };
  event: {
    kind: 'alert';
    id: string;
    category: string[];
    type: string[];
    action: string;
    outcome: 'success' | 'failure';
    severity: number;
    risk_score: number;
    dataset: 'keywatch.alerts';
    module: 'keywatch';
    provider: string;
    /** Link to the key's page in a published `keywatch report`, when a report URL is configured. */
    reference?: string;
  };
  rule: { id: string; name: string; ruleset: 'keywatch'; description: string };
  source?: {
    ip?: string;
    address?: string;
    geo?: {
      country_iso_code?: string;
      region_iso_code?: string;
      city_name?: string;
      location?: { lat: number; lon: number };
    };
    as?: { number?: number; organization?: { name: string } };
  };
  user_agent?: { original: string };
  user?: { name: string; id?: string };
  cloud?: { provider: string; region?: string; account?: { id: string } };
  keywatch: {
    alert: { id: string; severity: SeverityLabel; count: number };
    key: { id: string; owner: string | null; scope: string | null; declared: boolean; tags: string[] };
    /**
     * Who is behind the key: the identity (IAM user, role, service account, GitHub actor), the session of a
     * temporary credential, and `profile`, the baseline the call was judged against (the key, `role:<arn>`,
     * `principal:<arn>`). Absent when the source names no identity.
     */
    identity?: { id: string | null; kind: string; session: string | null; profile: string };
    evidence: { event_ids: string[]; details: Record<string, EvidenceValue> };
    reason: string;
    baseline: string;
    event: { source: string; error_code: string | null; resource: string | null; secrets_redacted: number };
  };
}

/** Builds the alert a finding opened. */
export function buildAlert(input: DetectInput, finding: GroupedFinding, riskScore: number, profile?: string): EcsAlert {
  const { event, geo, key } = input;
  const severity = severityOf(riskScore);
  const alert: EcsAlert = {
    '@timestamp': event.time,
    message: alertMessage(input, finding),
    ecs: { version: ECS_VERSION },
    event: {
      kind: 'alert',
      id: finding.alertId,
      category: ['iam'],
      type: ['info'],
      action: event.action,
      outcome: event.outcome,
      severity: SEVERITY_NUMBER[severity],
      risk_score: riskScore,
      dataset: 'keywatch.alerts',
      module: 'keywatch',
      provider: producingService(event),
    },
    rule: {
      id: finding.detector,
      name: DETECTOR_NAMES[finding.detector],
      ruleset: 'keywatch',
      description: finding.baseline,
    },
    keywatch: {
      alert: { id: finding.alertId, severity, count: finding.count },
      key: { id: event.credentialId, owner: key.owner, scope: key.scope, declared: key.declared, tags: key.tags },
      evidence: { event_ids: [event.id], details: finding.evidence },
      reason: finding.reason,
      baseline: finding.baseline,
      event: {
        source: event.source,
        error_code: event.errorCode,
        resource: event.resource,
        secrets_redacted: event.secrets.length,
      },
    },
  };
  if (event.identity != null || (profile !== undefined && profile !== event.credentialId)) {
    alert.keywatch.identity = {
      id: event.identity ?? null,
      kind: event.credentialKind ?? 'key',
      session: event.session ?? null,
      profile: profile ?? event.credentialId,
    };
  }
  const source: NonNullable<EcsAlert['source']> = {};
  if (event.sourceIp) source.ip = event.sourceIp;
  if (event.sourceAddress) source.address = event.sourceAddress;
  if (geo?.country) {
    source.geo = { country_iso_code: geo.country };
    // Geo data gives subdivision codes (`NH`, `CA`), not names: ECS's region_iso_code is `NL-NH`.
    if (geo.region) source.geo.region_iso_code = `${geo.country}-${geo.region}`;
    if (geo.city) source.geo.city_name = geo.city;
    if (geo.latitude !== null && geo.longitude !== null) source.geo.location = { lat: geo.latitude, lon: geo.longitude };
  }
  if (geo?.asn != null) source.as = { number: geo.asn, ...(geo.asOrg ? { organization: { name: geo.asOrg } } : {}) };
  if (Object.keys(source).length > 0) alert.source = source;
  if (event.userAgent) alert.user_agent = { original: event.userAgent };
  if (event.principal) alert.user = ecsUser(event.principal);
  if (['aws', 'gcp'].includes(event.provider)) {
    alert.cloud = { provider: event.provider };
    if (event.region) alert.cloud.region = event.region;
    if (event.account) alert.cloud.account = { id: event.account };
  }
  return alert;
}

/** One or two sentences a person understands: who, what, from where, and which baseline it broke. */
export function alertMessage(input: DetectInput, finding: GroupedFinding): string {
  const { event, key } = input;
  const about = [key.owner ? `owner ${key.owner}` : null, key.scope ? `declared ${key.scope}` : null].filter(Boolean);
  const subject = `Key ${event.credentialId}${whose(input.event)}${about.length > 0 ? ` (${about.join(', ')})` : ''}`;
  return `${subject} ${finding.reason}. Baseline: ${finding.baseline}.`;
}

/**
 * ECS `event.provider` is the service that produced the event (`s3.amazonaws.com`, `storage.googleapis.com`),
 * read from the action where it names one; otherwise the provider (`github`, `gateway`).
 */
export function producingService(event: DetectInput['event']): string {
  const service = /^([a-z0-9.-]+):/.exec(event.action)?.[1];
  if (service === undefined) return event.provider;
  if (event.provider === 'aws') return `${service}.amazonaws.com`;
  return service.includes('.') ? service : event.provider;
}

/**
 * ECS `user.name` is a short name; a full ARN goes to `user.id`: `arn:aws:iam::1:user/ci/deployer` is `deployer`,
 * an assumed role's session `arn:aws:sts::1:assumed-role/Deploy/i-0abc` is `Deploy/i-0abc`.
 */
export function ecsUser(principal: string): { name: string; id?: string } {
  const arn = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:(.+)$/.exec(principal);
  if (arn === null) return { name: principal };
  const resource = arn[1]!;
  const [type, ...path] = resource.split('/');
  const name = type === 'assumed-role' || type === 'federated-user' ? path.join('/') : (path.at(-1) ?? resource);
  return { name: name || resource, id: principal };
}

/**
 * ` (session i-0abc of role arn:…:role/web)` for temporary credentials, whose key id alone says nothing
 * to a reader; empty for long-lived keys (the identity is in `keywatch.identity` and `user`).
 */
function whose(event: DetectInput['event']): string {
  if (event.identity == null) return '';
  if (event.credentialKind === 'role_session') return ` (session ${event.session ?? '?'} of role ${event.identity})`;
  if (event.credentialKind === 'user_session') return ` (a temporary session of ${event.identity})`;
  return '';
}
