import { describe, expect, it } from 'vitest';
import { GATEWAY_PRESETS, type GatewayMapping, normalizeRecord } from '../src/index.ts';
import { expectNoSecret, FAKE, onlyEvent } from './helpers.ts';

const gateway = { format: 'gateway' } as const;

/** A Kong file-log / http-log line (kong.log.serialize()) with the raw key logged, as key-auth does by default. */
function kong(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    request: {
      id: 'b3f1c0de5a6e4d2f9a1b2c3d4e5f6a7b',
      method: 'POST',
      uri: `/orders?apikey=${FAKE.kongKey}`,
      url: `https://api.example.com:8443/orders?apikey=${FAKE.kongKey}`,
      querystring: { apikey: FAKE.kongKey },
      headers: { host: 'api.example.com', 'user-agent': 'bot-sdk/1.4', apikey: FAKE.kongKey, authorization: 'REDACTED' },
      size: 120,
    },
    response: { status: 201, headers: {}, size: 310 },
    route: { id: 'r-1', name: 'orders', paths: ['/orders'] },
    service: { name: 'orders-svc' },
    workspace: 'default',
    client_ip: '198.51.100.40',
    started_at: 1772590629000,
    latencies: { kong: 1, proxy: 20, request: 21 },
    authenticated_entity: { id: '7d6c9a2e-3b5f-4e8a-9c1d-2f4b6a8e0c13', consumer_id: 'c-1' },
    consumer: { id: 'c-1', username: 'billing-bot' },
    ...overrides,
  };
}

function apiGateway(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    requestId: '00000000-0000-4000-8000-0000000000a1',
    extendedRequestId: 'EXAMPLEextid=',
    ip: '198.51.100.40',
    apiKeyId: 'exkey0001',
    apiKey: FAKE.apiGatewayKey,
    userAgent: 'bot-sdk/1.4',
    requestTimeEpoch: 1772590629000,
    httpMethod: 'POST',
    resourcePath: '/orders',
    status: '403',
    stage: 'prod',
    apiId: 'exapi12345',
    ...overrides,
  };
}

describe('gateway adapter', () => {
  it('maps a Kong log line and redacts the raw key wherever Kong logged it', () => {
    const result = normalizeRecord(kong(), gateway);
    expect(onlyEvent(result)).toMatchObject({
      id: 'b3f1c0de5a6e4d2f9a1b2c3d4e5f6a7b',
      time: '2026-03-04T02:17:09.000Z',
      provider: 'kong',
      source: 'gateway',
      credentialId: '7d6c9a2e-3b5f-4e8a-9c1d-2f4b6a8e0c13',
      principal: 'billing-bot',
      account: 'default',
      sourceIp: '198.51.100.40',
      userAgent: 'bot-sdk/1.4',
      action: 'POST orders',
      resource: '/orders',
      accessClass: 'write',
      outcome: 'success',
      errorCode: null,
    });
    const paths = onlyEvent(result).secrets.map((s) => s.path);
    expect(paths).toEqual(
      expect.arrayContaining(['request.uri', 'request.url', 'request.querystring.apikey', 'request.headers.apikey']),
    );
    expectNoSecret(result, FAKE.kongKey);
  });

  it('splits a Kong http-log batch (a JSON array)', () => {
    const result = normalizeRecord([kong(), kong({ response: { status: 429 } })], gateway);
    expect(result.events.map((e) => [e.outcome, e.errorCode])).toEqual([
      ['success', null],
      ['failure', '429'],
    ]);
  });

  it('maps an API Gateway access log and never keeps the apiKey value', () => {
    const result = normalizeRecord(apiGateway(), gateway);
    expect(onlyEvent(result)).toMatchObject({
      id: '00000000-0000-4000-8000-0000000000a1',
      provider: 'aws-apigateway',
      credentialId: 'exkey0001',
      sourceIp: '198.51.100.40',
      action: 'POST /orders',
      accessClass: 'write',
      outcome: 'failure',
      errorCode: '403',
      secrets: [{ kind: 'api_key', path: 'apiKey', fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) }],
    });
    expectNoSecret(result, FAKE.apiGatewayKey);
  });

  it('reads API Gateway logs delivered through a CloudWatch Logs subscription', () => {
    const payload = {
      messageType: 'DATA_MESSAGE',
      logGroup: 'API-Gateway-Access-Logs_exapi12345/prod',
      logEvents: [
        { id: '1', timestamp: 1772590629000, message: JSON.stringify(apiGateway({ httpMethod: 'GET', status: '200' })) },
      ],
    };
    expect(onlyEvent(normalizeRecord(payload, gateway))).toMatchObject({
      accessClass: 'read',
      outcome: 'success',
      credentialId: 'exkey0001',
    });
  });

  it('maps the documented Envoy JSON format, treating "-" as absent', () => {
    const envoy = {
      time: '2026-03-04T02:17:09.123Z',
      key_id: 'key-42',
      consumer: 'reports-bot',
      client_ip: '2001:db8::40',
      forwarded_for: '-',
      user_agent: 'bot-sdk/1.4',
      method: 'GET',
      route: 'reports',
      path: '/v1/reports/7?token=abcdef0123456789',
      status: 200,
      request_id: '-',
      region: 'eu-west-1',
    };
    const result = normalizeRecord(envoy, gateway);
    const event = onlyEvent(result);
    expect(event).toMatchObject({
      provider: 'envoy',
      credentialId: 'key-42',
      principal: 'reports-bot',
      sourceIp: '2001:db8::40',
      action: 'GET reports',
      resource: '/v1/reports/7',
      accessClass: 'read',
      region: 'eu-west-1',
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(event.secrets.map((s) => [s.kind, s.path])).toEqual([['url_secret_param', 'path']]);
  });

  it('uses a custom mapping with alternative paths, secret fields and trusted X-Forwarded-For', () => {
    const mapping: GatewayMapping = {
      name: 'payments-proxy',
      fields: {
        time: ['ts', 'timestamp'],
        keyId: 'auth.key_alias',
        clientIp: 'peer',
        forwardedFor: 'xff',
        method: 'verb',
        path: 'url',
        status: 'code',
      },
      timeUnit: 's',
      trustForwardedFor: true,
      secretFields: ['upstream_headers.x-stripe-key'],
    };
    const line = {
      timestamp: 1772590629,
      auth: { key_alias: 'stripe-billing' },
      peer: '10.0.0.5:51234',
      xff: 'unknown, 203.0.113.9, 10.0.0.5',
      verb: 'post',
      url: '/v1/charges',
      code: 402,
      upstream_headers: { 'x-stripe-key': 'opaque-value' },
    };
    const result = normalizeRecord(line, { format: 'gateway', gateway: mapping });
    expect(onlyEvent(result)).toMatchObject({
      provider: 'payments-proxy',
      credentialId: 'stripe-billing',
      time: '2026-03-04T02:17:09.000Z',
      sourceIp: '203.0.113.9',
      action: 'POST /v1/charges',
      outcome: 'failure',
      errorCode: '402',
      secrets: [{ kind: 'api_key', path: 'upstream_headers.x-stripe-key' }].map((s) => expect.objectContaining(s)),
    });
    expectNoSecret(result, 'opaque-value');
    const untrusted = normalizeRecord(line, { format: 'gateway', gateway: { ...mapping, trustForwardedFor: false } });
    expect(onlyEvent(untrusted).sourceIp).toBe('10.0.0.5');
  });

  it('dead-letters records no preset fits and records without a key id; keys a key id that is a secret by its fingerprint', () => {
    expect(normalizeRecord({ hello: 'world' }, gateway).deadLetters.map((d) => d.reason)).toEqual(['unknown_format']);
    const anonymous = normalizeRecord(kong({ authenticated_entity: undefined }), gateway);
    expect(anonymous.deadLetters.map((d) => [d.reason, d.message])).toEqual([
      ['no_credential', "authenticated_entity.id: required (the key's public id)"],
    ]);
    expectNoSecret(anonymous, FAKE.kongKey);
    const leaked = normalizeRecord(kong({ authenticated_entity: { id: FAKE.githubPat } }), gateway);
    expect(leaked.deadLetters).toEqual([]);
    const [event] = leaked.events;
    const secret = event?.secrets.find((s) => s.path === 'authenticated_entity.id');
    expect(secret?.kind).toBe('github_pat');
    expect(secret?.alert).toBeUndefined();
    expect(event?.credentialId).toBe(`secret:${secret?.fingerprint}`);
    expectNoSecret(leaked, FAKE.githubPat);
  });

  it('exposes the presets by name', () => {
    expect(Object.keys(GATEWAY_PRESETS).sort()).toEqual(['aws-apigateway', 'envoy', 'kong']);
    expect(GATEWAY_PRESETS['aws-apigateway'].secretFields).toContain('apiKey');
  });
});
