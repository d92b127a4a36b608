// Realistic alert documents for delivery tests (documentation IP ranges, AKIAEXAMPLE ids).
import type { EcsAlert, SeverityLabel } from '@keywatch/alerts';

const SEVERITY_NUMBER: Record<SeverityLabel, number> = { low: 21, medium: 47, high: 73, critical: 99 };
const RISK: Record<SeverityLabel, number> = { low: 25, medium: 50, high: 80, critical: 95 };

export interface SampleAlertOptions {
  id?: string;
  severity?: SeverityLabel;
  rule?: string;
  owner?: string | null;
  tags?: string[];
  keyId?: string;
  message?: string;
  sourceIp?: string;
}

export function sampleAlert(options: SampleAlertOptions = {}): EcsAlert {
  const severity = options.severity ?? 'high';
  const id = options.id ?? 'kw-7f3a9c0000000001';
  const keyId = options.keyId ?? 'AKIAEXAMPLEKEY000001';
  const owner = options.owner === undefined ? 'report-bot' : options.owner;
  const ip = options.sourceIp ?? '203.0.113.7';
  return {
    '@timestamp': '2026-03-04T02:17:09.000Z',
    message:
      options.message ??
      `Key ${keyId} (owner ${owner}, declared read-only) called s3:DeleteBucket from ${ip} (NL, AS64500), a country it has never used. Baseline: 21 days, countries DE.`,
    ecs: { version: '8.11.0' },
    event: {
      kind: 'alert',
      id,
      category: ['iam'],
      type: ['info'],
      action: 's3:DeleteBucket',
      outcome: 'failure',
      severity: SEVERITY_NUMBER[severity],
      risk_score: RISK[severity],
      dataset: 'keywatch.alerts',
      module: 'keywatch',
      provider: 'aws',
    },
    rule: {
      id: options.rule ?? 'new_country',
      name: 'Key used from a new country',
      ruleset: 'keywatch',
      description: 'countries seen in 21 days: DE',
    },
    source: {
      ip,
      address: ip,
      geo: { country_iso_code: 'NL', city_name: 'Amsterdam', location: { lat: 52.37, lon: 4.89 } },
      as: { number: 64500, organization: { name: 'Example Transit' } },
    },
    user_agent: { original: 'aws-cli/2.15.0 Python/3.11 Linux/6.1' },
    user: { name: 'report-bot' },
    cloud: { provider: 'aws', region: 'eu-west-1', account: { id: '111122223333' } },
    keywatch: {
      alert: { id, severity, count: 1 },
      key: { id: keyId, owner, scope: 'read-only', declared: true, tags: options.tags ?? ['team:reports'] },
      evidence: { event_ids: ['00000000-0000-4000-8000-000000000001'], details: { country: 'NL', days_of_history: 21 } },
      reason: `called s3:DeleteBucket from ${ip} (NL, AS64500), a country it has never used`,
      baseline: 'countries seen in 21 days of history: DE',
      event: { source: 'cloudtrail', error_code: 'AccessDenied', resource: 'arn:aws:s3:::reports', secrets_redacted: 0 },
    },
  };
}

/** `n` alerts with distinct ids `<prefix>-0000`… */
export function sampleAlerts(n: number, prefix: string, options: SampleAlertOptions = {}): EcsAlert[] {
  return Array.from({ length: n }, (_, i) => sampleAlert({ ...options, id: `${prefix}-${String(i).padStart(4, '0')}` }));
}
