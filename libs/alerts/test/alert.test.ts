import { detect, withDefaults } from '@keywatch/detect';
import { timeContext } from '@keywatch/enrich';
import type { CanonicalEvent } from '@keywatch/event';
import type { KeyInfo } from '@keywatch/registry';
import { describe, expect, it } from 'vitest';
import { buildAlert, ecsUser, producingService, renderAlert, SEVERITY_NUMBER, severityOf } from '../src/index.ts';

const key: KeyInfo = {
  id: 'AKIAEXAMPLEKEY000001',
  owner: 'team-reports',
  scope: 'read-only',
  timezone: 'Europe/Amsterdam',
  businessHours: null,
  allowedCidrs: [],
  allowedCountries: ['DE'],
  created: null,
  rotationDays: null,
  tags: ['prod'],
  description: null,
  declared: true,
};

const event: CanonicalEvent = {
  id: '00000000-0000-4000-8000-000000000001',
  time: '2026-03-04T02:17:09.000Z',
  provider: 'aws',
  source: 'cloudtrail',
  credentialId: key.id,
  principal: 'arn:aws:iam::111122223333:user/report-bot',
  account: '111122223333',
  sourceIp: '146.190.1.2',
  sourceAddress: null,
  userAgent: 'python-requests/2.31.0',
  action: 's3:DeleteBucket',
  resource: null,
  accessClass: 'write',
  outcome: 'success',
  errorCode: null,
  region: 'eu-west-1',
  secrets: [],
};

const geo = {
  country: 'NL',
  region: 'NH',
  city: 'Amsterdam',
  latitude: 52.35,
  longitude: 4.9,
  asn: 14061,
  asOrg: 'DIGITALOCEAN-ASN',
  network: 'hosting' as const,
};

function alerts() {
  const input = { event, geo, key, time: timeContext(event.time, key.timezone, key.businessHours) };
  const r = detect(input, null, withDefaults());
  return r.findings.map((f) => buildAlert(input, f, r.riskScore));
}

describe('buildAlert', () => {
  it('produces ECS alerts Elastic Security understands', () => {
    const [a] = alerts();
    expect(a).toBeDefined();
    expect(a!['@timestamp']).toBe(event.time);
    expect(a!.event.kind).toBe('alert');
    expect(Object.values(SEVERITY_NUMBER)).toContain(a!.event.severity);
    expect(a!.keywatch.key.id).toBe(key.id);
    expect(a!.keywatch.evidence.event_ids).toEqual([event.id]);
    expect(a!.source).toEqual({
      ip: '146.190.1.2',
      geo: { country_iso_code: 'NL', region_iso_code: 'NL-NH', city_name: 'Amsterdam', location: { lat: 52.35, lon: 4.9 } },
      as: { number: 14061, organization: { name: 'DIGITALOCEAN-ASN' } },
    });
    expect(a!.cloud).toEqual({ provider: 'aws', region: 'eu-west-1', account: { id: '111122223333' } });
    expect(a!).not.toHaveProperty('event.ingested');
    expect(a!.event.provider).toBe('s3.amazonaws.com');
  });

  it('names the producing service and the user the ECS way', () => {
    expect(producingService({ ...event, action: 'storage.googleapis.com:storage.buckets.get', provider: 'gcp' })).toBe(
      'storage.googleapis.com',
    );
    expect(producingService({ ...event, action: 'repo.create', provider: 'github' })).toBe('github');
    expect(ecsUser('arn:aws:iam::111122223333:user/ci/deployer')).toEqual({
      name: 'deployer',
      id: 'arn:aws:iam::111122223333:user/ci/deployer',
    });
    expect(ecsUser('arn:aws:sts::111122223333:assumed-role/Deploy/i-0abc')).toEqual({
      name: 'Deploy/i-0abc',
      id: 'arn:aws:sts::111122223333:assumed-role/Deploy/i-0abc',
    });
    expect(ecsUser('arn:aws:iam::111122223333:root')).toEqual({ name: 'root', id: 'arn:aws:iam::111122223333:root' });
    expect(ecsUser('octocat')).toEqual({ name: 'octocat' });
  });

  it('explains itself in one or two sentences with the baseline', () => {
    const byRule = Object.fromEntries(alerts().map((a) => [a.rule.id, a.message]));
    expect(byRule.write_on_read_only).toBe(
      'Key AKIAEXAMPLEKEY000001 (owner team-reports, declared read-only) called s3:DeleteBucket, a write call, although the key is declared read-only (it succeeded). Baseline: declared scope read-only in the key registry.',
    );
    expect(byRule.new_country).toContain(
      'from 146.190.1.2 (NL, AS14061 DIGITALOCEAN-ASN), a country outside its declared countries',
    );
  });

  it('is the same document for the same input', () => {
    expect(JSON.stringify(alerts())).toBe(JSON.stringify(alerts()));
  });

  it('renders for the terminal without colour codes when asked', () => {
    const text = renderAlert(alerts()[0]!, false);
    expect(text).not.toContain('\x1b[');
    expect(text.split('\n')).toHaveLength(3);
  });
});

describe('severityOf', () => {
  it('maps risk to the four severities of the External Alerts rule', () => {
    expect([10, 45, 70, 95].map(severityOf)).toEqual(['low', 'medium', 'high', 'critical']);
  });
});
