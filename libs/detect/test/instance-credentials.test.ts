import type { GeoInfo } from '@keywatch/enrich';
import { describe, expect, it } from 'vitest';
import { detect, type Profile, withDefaults } from '../src/index.ts';
import { event, feed, HOME, input } from './helpers.ts';

const ROLE = 'arn:aws:iam::111122223333:role/web-role';
const instance = (over: Parameters<typeof event>[0] = {}) =>
  event({
    credentialId: 'ASIAEXAMPLESESSION01',
    credentialKind: 'role_session',
    identity: ROLE,
    session: 'i-0dbc91f429e48eeed',
    userAgent: 'aws-sdk-go/1.41.4 (go1.18.3; linux; amd64) amazon-ssm-agent/',
    ...over,
  });
const PRIVATE: GeoInfo = { ...HOME, country: null, city: null, asn: null, asOrg: null, network: 'private' };
const HOME_ISP: GeoInfo = { ...HOME, asn: 3320, asOrg: 'Deutsche Telekom AG', network: 'isp' };

/** The role's instance called a few times from its own (AWS) address. */
function roleSeenOnInstance(): Profile {
  return feed([0, 1, 2].map((i) => input(instance({ time: `2026-03-02T11:5${i}:00.000Z`, sourceIp: '3.225.16.109' }), HOME)))
    .profile!;
}

const alerts = (r: ReturnType<typeof detect>) =>
  r.findings.filter((f) => f.detector === 'instance_credentials_exfiltration').map((f) => f.reason);

describe('instance_credentials_exfiltration', () => {
  it('fires on an instance session used from another, non-cloud address than the role has used (Invictus)', () => {
    const stolen = instance({
      time: '2026-03-02T11:57:22.000Z',
      credentialId: 'ASIASTOLEN',
      sourceIp: '192.168.10.20',
      userAgent: 'aws-sdk-go-v2/1.17.0 os/linux',
    });
    const r = detect(input(stolen, PRIVATE), roleSeenOnInstance(), withDefaults());
    expect(alerts(r)).toEqual([expect.stringContaining('instance i-0dbc91f429e48eeed from 192.168.10.20 (a private address)')]);
    expect(alerts(detect(input(stolen, HOME_ISP), roleSeenOnInstance(), withDefaults()))).toHaveLength(1);
  });

  it('fires on a desktop client even without any history (CloudGoat: aws-cli on Darwin)', () => {
    const mac = instance({ sourceIp: '1.2.3.4', userAgent: '[aws-cli/1.18.136 Python/3.8.5 Darwin/19.5.0 botocore/1.17.59]' });
    expect(alerts(detect(input(mac, HOME_ISP), null, withDefaults()))).toEqual([
      expect.stringContaining('from a desktop client'),
    ]);
    const browser = instance({ userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36' });
    expect(alerts(detect(input(browser, HOME), null, withDefaults()))).toHaveLength(1);
  });

  it('stays quiet for the instance itself, other cloud addresses, unknown roles, and sessions that are not instances', () => {
    const own = instance({ sourceIp: '3.225.16.109' });
    expect(alerts(detect(input(own, HOME), roleSeenOnInstance(), withDefaults()))).toEqual([]);
    // A new public address in a cloud network: the instance was restarted, or calls through a NAT gateway.
    expect(alerts(detect(input(instance({ sourceIp: '52.45.102.28' }), HOME), roleSeenOnInstance(), withDefaults()))).toEqual([]);
    // No address known yet for the role: a private address says nothing (VPC endpoints).
    expect(alerts(detect(input(instance({ sourceIp: '10.0.1.5' }), PRIVATE), null, withDefaults()))).toEqual([]);
    const lambda = instance({ session: 'my-function', sourceIp: '192.168.10.20' });
    expect(alerts(detect(input(lambda, PRIVATE), roleSeenOnInstance(), withDefaults()))).toEqual([]);
    const longLived = event({ sourceIp: '192.168.10.20', userAgent: 'aws-cli/2 Darwin/23' });
    expect(alerts(detect(input(longLived, PRIVATE), roleSeenOnInstance(), withDefaults()))).toEqual([]);
  });

  it('does not take a Windows or Mac client the role already uses for a stolen one', () => {
    const windows = 'aws-cli/2.15.0 Python/3.11.6 Windows/2022Server exe/AMD64';
    const profile = feed(
      [0, 1].map((i) =>
        input(instance({ time: `2026-03-02T10:0${i}:00.000Z`, sourceIp: '3.225.16.109', userAgent: windows }), HOME),
      ),
    ).profile!;
    expect(
      alerts(detect(input(instance({ sourceIp: '3.225.16.109', userAgent: windows }), HOME), profile, withDefaults())),
    ).toEqual([]);
  });
});
