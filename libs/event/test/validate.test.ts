import { describe, expect, it } from 'vitest';
import { ipPrefix, isIp, validateCanonicalEvent } from '../src/index.ts';

const good = {
  id: 'e1',
  time: '2026-03-04T02:17:09Z',
  provider: 'aws',
  source: 'canonical',
  credentialId: 'AKIAEXAMPLEKEY000001',
  sourceIp: '203.0.113.7',
  action: 's3:GetObject',
  accessClass: 'read',
  outcome: 'success',
};

describe('validateCanonicalEvent', () => {
  it('accepts a minimal event and fills defaults', () => {
    const r = validateCanonicalEvent(good);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event.time).toBe('2026-03-04T02:17:09.000Z');
    expect(r.event.secrets).toEqual([]);
    expect(r.event.principal).toBeNull();
  });

  it('names every bad field', () => {
    const r = validateCanonicalEvent({ ...good, id: 3, time: 'yesterday', sourceIp: 'AWS Internal', accessClass: 'delete' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field).sort()).toEqual(['accessClass', 'id', 'sourceIp', 'time']);
  });

  it('rejects non-objects', () => {
    expect(validateCanonicalEvent([1]).ok).toBe(false);
    expect(validateCanonicalEvent(null).ok).toBe(false);
  });
});

describe('ip helpers', () => {
  it('is strict about IPv4', () => {
    expect(isIp('06.237.252.245')).toBe(false);
    expect(isIp('2001:db8::1')).toBe(true);
  });
  it('groups addresses into /24 and /48 networks', () => {
    expect(ipPrefix('203.0.113.7')).toBe('203.0.113.0/24');
    expect(ipPrefix('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(ipPrefix('::ffff:203.0.113.7')).toBe('0:0:0::/48');
    expect(ipPrefix('lambda.amazonaws.com')).toBeNull();
  });
});
