import { describe, expect, it } from 'vitest';
import { normalizeRecord } from '../src/index.ts';
import { expectNoSecret, FAKE, onlyEvent } from './helpers.ts';

const canonical = { format: 'canonical' } as const;
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

describe('canonical adapter', () => {
  it('passes valid events through with defaults filled', () => {
    expect(onlyEvent(normalizeRecord(good, canonical))).toMatchObject({
      ...good,
      time: '2026-03-04T02:17:09.000Z',
      principal: null,
      secrets: [],
    });
  });

  it('names every bad field', () => {
    const result = normalizeRecord({ ...good, time: 'yesterday', sourceIp: 'AWS Internal', accessClass: 'delete' }, canonical);
    expect(result.deadLetters).toHaveLength(1);
    expect(result.deadLetters[0]?.reason).toBe('invalid_field');
    expect(result.deadLetters[0]?.message).toMatch(/time: .*sourceIp: .*accessClass: /);
  });

  it('redacts secrets in incoming events and keeps the secrets they already listed', () => {
    const listed = { kind: 'github_pat', path: 'x', fingerprint: 'abcdefabcdef' };
    const result = normalizeRecord({ ...good, userAgent: `curl ${FAKE.githubPat}`, secrets: [listed] }, canonical);
    const event = onlyEvent(result);
    expect(event.userAgent).toBe('curl [REDACTED:github_pat]');
    expect(event.secrets).toEqual([listed, expect.objectContaining({ kind: 'github_pat', path: 'userAgent' })]);
    expectNoSecret(result, FAKE.githubPat);
  });

  it('caps long strings at 1024 characters', () => {
    expect(onlyEvent(normalizeRecord({ ...good, resource: 'r'.repeat(3000) }, canonical)).resource).toHaveLength(1024);
  });
});
