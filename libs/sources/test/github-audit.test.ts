import { describe, expect, it } from 'vitest';
import { normalizeRecord } from '../src/index.ts';
import { onlyEvent } from './helpers.ts';

const github = { format: 'github-audit' } as const;

/** The synthetic api.request event of the reference (audit-log-formats.md §c). */
function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@timestamp': 1772590629000,
    created_at: 1772590629000,
    _document_id: 'EXAMPLEdocid000001==',
    action: 'api.request',
    actor: 'deploy-bot',
    actor_id: 1000001,
    actor_is_bot: false,
    actor_ip: '203.0.113.7',
    business: 'example-ent',
    org: 'example-org',
    repo: 'example-org/payments',
    operation_type: 'access',
    programmatic_access_type: 'Fine-grained personal access token',
    token_id: 5550001,
    hashed_token: 'EXAMPLEhashBase64aaaaaaaaaaaaaaaaaaaaaaaaaa=',
    request_id: 'EXAMPLE:REQ:0001',
    request_method: 'GET',
    url_path: '/repos/example-org/payments/contents/config.yml',
    route: '/repositories/:repository_id/contents/*path',
    status_code: 200,
    user_agent: 'python-requests/2.31.0',
    ...overrides,
  };
}

describe('GitHub audit adapter', () => {
  it('maps an api.request event to the canonical event', () => {
    expect(onlyEvent(normalizeRecord(event(), github))).toEqual({
      id: 'EXAMPLEdocid000001==',
      time: '2026-03-04T02:17:09.000Z',
      provider: 'github',
      source: 'github-audit',
      credentialId: 'token:5550001',
      principal: 'deploy-bot',
      credentialKind: 'key',
      identity: 'deploy-bot',
      account: 'example-org',
      sourceIp: '203.0.113.7',
      sourceAddress: null,
      userAgent: 'python-requests/2.31.0',
      action: 'api.request',
      resource: 'example-org/payments',
      accessClass: 'read',
      outcome: 'success',
      errorCode: null,
      region: null,
      secrets: [],
    });
  });

  it('reads write methods and failed status codes of api.request', () => {
    expect(onlyEvent(normalizeRecord(event({ request_method: 'DELETE', status_code: 403 }), github))).toMatchObject({
      accessClass: 'write',
      outcome: 'failure',
      errorCode: '403',
    });
    expect(onlyEvent(normalizeRecord(event({ request_method: 'HEAD', status_code: '404' }), github))).toMatchObject({
      accessClass: 'read',
      errorCode: '404',
    });
  });

  it('falls back from token id to hashed token to actor', () => {
    const credential = (overrides: Record<string, unknown>) => onlyEvent(normalizeRecord(event(overrides), github)).credentialId;
    expect(credential({ token_id: undefined })).toBe('hashed_token:EXAMPLEhashBase64aaaaaaaaaaaaaaaaaaaaaaaaaa=');
    expect(credential({ token_id: undefined, hashed_token: undefined })).toBe('principal:deploy-bot');
    const none = normalizeRecord(event({ token_id: undefined, hashed_token: undefined, actor: '' }), github);
    expect(none.deadLetters.map((d) => d.reason)).toEqual(['no_credential']);
  });

  it.each([
    [{ '@timestamp': undefined, created_at: 1.621305118553e12 }, '2021-05-18T02:31:58.553Z'],
    [{ '@timestamp': undefined, created_at: '1621305118553' }, '2021-05-18T02:31:58.553Z'],
    [{ '@timestamp': undefined, created_at: '2023-01-31 18:58:27.638' }, '2023-01-31T18:58:27.638Z'],
    [
      { '@timestamp': undefined, created_at: undefined, at_sign_timestamp: '2023-11-20 21:20:09.423' },
      '2023-11-20T21:20:09.423Z',
    ],
    [{ '@timestamp': 'garbage', created_at: 1621305118553 }, '2021-05-18T02:31:58.553Z'],
  ])('reads time from %j', (overrides, time) => {
    expect(onlyEvent(normalizeRecord(event(overrides), github)).time).toBe(time);
  });

  it('reads access class from operation_type for other events, and from the verb for git events', () => {
    const classOf = (overrides: Record<string, unknown>) =>
      onlyEvent(normalizeRecord(event({ request_method: undefined, status_code: undefined, ...overrides }), github)).accessClass;
    expect(classOf({ action: 'repo.destroy', operation_type: 'remove' })).toBe('write');
    expect(classOf({ action: 'repo.access', operation_type: 'access' })).toBe('read');
    expect(classOf({ action: 'org.sso_response', operation_type: 'authentication' })).toBe('unknown');
    expect(classOf({ action: 'git.clone', operation_type: undefined })).toBe('read');
    expect(classOf({ action: 'git.push', operation_type: undefined })).toBe('write');
    expect(classOf({ action: 'constructor', operation_type: undefined })).toBe('unknown');
  });

  it('keeps a non-IP actor_ip out of sourceIp and dead-letters events without action or time', () => {
    expect(onlyEvent(normalizeRecord(event({ actor_ip: 'redacted' }), github))).toMatchObject({
      sourceIp: null,
      sourceAddress: 'redacted',
    });
    expect(normalizeRecord(event({ action: undefined }), github).deadLetters.map((d) => d.message)).toEqual(['action: required']);
    const noTime = normalizeRecord(event({ '@timestamp': undefined, created_at: undefined }), github);
    expect(noTime.deadLetters.map((d) => d.message)).toEqual(['created_at: required (also looked for @timestamp)']);
  });

  it('splits a REST API page (a JSON array) into events', () => {
    const result = normalizeRecord([event(), event({ _document_id: 'second' }), 7], github);
    expect(result.events.map((e) => e.id)).toEqual(['EXAMPLEdocid000001==', 'second']);
    expect(result.deadLetters.map((d) => d.message)).toEqual(['[2]: (record): must be a JSON object']);
  });

  it('redacts secrets in query strings and request bodies', () => {
    const secret = ['ghp', 'R8x2Kq9ZcW4mN7vB1tY6uP3sD5fG0hJ8kL2a'].join('_');
    const result = normalizeRecord(
      event({ query_string: `access_token=${secret}`, request_body: `{"password":"Hunter2-Hunter2"}` }),
      github,
    );
    const found = onlyEvent(result).secrets.map((s) => [s.kind, s.path]);
    expect(found).toEqual([
      ['github_pat', 'query_string'],
      ['password', 'request_body'],
    ]);
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(JSON.stringify(result)).not.toContain('Hunter2-Hunter2');
  });

  it('reads a failed login as a failure, so it reaches failure_spike', () => {
    const failed = onlyEvent(
      normalizeRecord(
        event({ action: 'user.failed_login', token_id: undefined, hashed_token: undefined, status_code: undefined }),
        github,
      ),
    );
    expect(failed).toMatchObject({ outcome: 'failure', errorCode: 'user.failed_login', credentialId: 'principal:deploy-bot' });
    const login = onlyEvent(
      normalizeRecord(
        event({ action: 'user.login', token_id: undefined, hashed_token: undefined, status_code: undefined }),
        github,
      ),
    );
    expect(login.outcome).toBe('success');
  });

  it.each(['personal_access_token.create', 'oauth_access.create'])(
    'attributes %s to the actor who created the token, with the new token as its resource',
    (action) => {
      const created = onlyEvent(
        normalizeRecord(event({ action, token_id: undefined, request_method: undefined, status_code: undefined }), github),
      );
      expect(created).toMatchObject({
        credentialId: 'principal:deploy-bot',
        credentialKind: 'principal',
        identity: 'deploy-bot',
        accessClass: 'write',
        resource: 'hashed_token:EXAMPLEhashBase64aaaaaaaaaaaaaaaaaaaaaaaaaa=',
      });
    },
  );

  it('takes the country from actor_location.country_code when the IP is not disclosed', () => {
    const hidden = onlyEvent(normalizeRecord(event({ actor_ip: undefined, actor_location: { country_code: 'de' } }), github));
    expect(hidden).toMatchObject({ sourceIp: null, sourceCountry: 'DE' });
    const bogus = onlyEvent(normalizeRecord(event({ actor_ip: undefined, actor_location: { country_code: 'Germany' } }), github));
    expect(bogus.sourceCountry).toBeUndefined();
  });
});
