import { withDefaults } from '@keywatch/detect';
import { createGeoLookup } from '@keywatch/enrich';
import type { CanonicalEvent } from '@keywatch/event';
import { parseRegistry } from '@keywatch/registry';
import { MemoryProfileStore } from '@keywatch/state';
import { describe, expect, it } from 'vitest';
import { baselineSubject, createDetectStage, enrich } from '../src/index.ts';

const ROLE = 'arn:aws:iam::111122223333:role/web-role';

function event(over: Partial<CanonicalEvent> = {}): CanonicalEvent {
  return {
    id: 'e1',
    time: '2026-03-02T09:00:00.000Z',
    provider: 'aws',
    source: 'cloudtrail',
    credentialId: 'ASIAEXAMPLESESSION01',
    principal: 'arn:aws:sts::111122223333:assumed-role/web-role/i-0abc',
    credentialKind: 'role_session',
    identity: ROLE,
    session: 'i-0abc',
    account: '111122223333',
    sourceIp: '3.64.1.10',
    sourceAddress: null,
    userAgent: 'aws-sdk-go/1.44',
    action: 's3:GetObject',
    resource: null,
    accessClass: 'read',
    outcome: 'success',
    errorCode: null,
    region: 'eu-west-1',
    secrets: [],
    ...over,
  };
}

describe('baselineSubject', () => {
  it('keeps long-lived keys per key, role sessions per role, user sessions per user, SSO sessions per person', () => {
    expect(baselineSubject(event())).toBe(`role:${ROLE}`);
    expect(
      baselineSubject(event({ credentialId: 'AKIAEXAMPLE', credentialKind: 'key', identity: 'arn:aws:iam::1:user/bot' })),
    ).toBe('AKIAEXAMPLE');
    expect(
      baselineSubject(
        event({ credentialId: 'ASIACONSOLE', credentialKind: 'user_session', identity: 'arn:aws:iam::1:user/alice' }),
      ),
    ).toBe('principal:arn:aws:iam::1:user/alice');
    const sso = event({
      identity: 'arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123',
      principal: 'arn:aws:sts::1:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com',
    });
    expect(baselineSubject(sso)).toBe('principal:arn:aws:sts::1:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com');
    expect(baselineSubject(event({ identity: null, credentialKind: undefined }))).toBe('ASIAEXAMPLESESSION01');
  });
});

describe('the detect stage keys baselines by subject', () => {
  it('lets a new session of a known role start from the role baseline, and alerts name key, identity and session', () => {
    const store = new MemoryProfileStore();
    const stage = createDetectStage({
      geo: createGeoLookup(),
      registry: parseRegistry(`keys:\n  - id: "role:${ROLE}"\n    scope: read-only\n    owner: web-team\n`, 'keys.yaml'),
      store,
      options: withDefaults(),
    });
    // 30 sessions, one per hour, each with a new key id: all one baseline.
    for (let i = 0; i < 30; i++) {
      const time = new Date(Date.parse('2026-03-02T09:00:00Z') + i * 3600_000).toISOString();
      stage(event({ id: `e${i}`, time, credentialId: `ASIAEXAMPLESESSION${String(i).padStart(2, '0')}` }));
    }
    expect(store.size()).toBe(1);
    expect(store.get(`role:${ROLE}`)?.events).toBe(30);
    // The role is declared read-only: a write by a brand-new session is judged on its first call.
    const out = stage(
      event({
        id: 'w',
        time: '2026-03-03T16:00:00.000Z',
        credentialId: 'ASIANEWSESSION000001',
        action: 's3:PutObject',
        accessClass: 'write',
      }),
    );
    const alert = out.alerts.find((a) => a.rule.id === 'write_on_read_only');
    expect(alert?.keywatch.key).toMatchObject({ id: 'ASIANEWSESSION000001', owner: 'web-team', declared: true });
    expect(alert?.keywatch.identity).toEqual({ id: ROLE, kind: 'role_session', session: 'i-0abc', profile: `role:${ROLE}` });
    expect(alert?.message).toContain(`Key ASIANEWSESSION000001 (session i-0abc of role ${ROLE})`);
  }, 30_000); // loading the bundled geo data takes seconds on a busy machine

  it('uses the country a provider reports when it hides the IP', () => {
    const input = enrich(event({ sourceIp: null, sourceCountry: 'DE' }), {
      geo: createGeoLookup(),
      registry: parseRegistry('keys: []', 'k.yaml'),
    });
    expect(input.geo).toMatchObject({ country: 'DE', asn: null, network: 'unknown' });
  });
});
