import type { GatewayMapping } from './types.ts';

/**
 * Kong `file-log` / `http-log` (the `kong.log.serialize()` shape). The credential id is the key-auth
 * credential's UUID; with `hide_credentials: false` (Kong's default) the raw key is logged too.
 */
const kong: GatewayMapping = {
  name: 'kong',
  fields: {
    time: 'started_at',
    keyId: 'authenticated_entity.id',
    consumer: ['consumer.username', 'consumer.custom_id', 'consumer.id'],
    clientIp: 'client_ip',
    forwardedFor: 'request.headers.x-forwarded-for',
    userAgent: 'request.headers.user-agent',
    method: 'request.method',
    route: ['route.name', 'route.id'],
    path: 'request.uri',
    status: 'response.status',
    requestId: ['request.id', 'request.headers.x-request-id'],
    account: 'workspace',
  },
  timeUnit: 'ms',
  secretFields: [
    'request.headers.apikey',
    'request.querystring.apikey',
    'request.headers.x-api-key',
    'request.headers.authorization',
    'request.headers.proxy-authorization',
  ],
  detect: ['started_at', 'request.method', 'client_ip'],
};

/**
 * Envoy with the keywatch JSON access-log format (README: "Envoy"). Envoy has no notion of API keys:
 * the authz filter in front must set `x-key-id` to the key's public id.
 */
const envoy: GatewayMapping = {
  name: 'envoy',
  fields: {
    time: 'time',
    keyId: 'key_id',
    consumer: 'consumer',
    clientIp: 'client_ip',
    forwardedFor: 'forwarded_for',
    userAgent: 'user_agent',
    method: 'method',
    route: 'route',
    path: 'path',
    status: 'status',
    requestId: 'request_id',
    region: 'region',
  },
  timeUnit: 'ms',
  secretFields: [],
  detect: ['time', 'method', 'status', 'key_id'],
};

/**
 * AWS API Gateway REST API access logs in the JSON format from the README. `apiKeyId` is the key's
 * id; `apiKey` is the key ITSELF, which must never be logged, so it is always redacted.
 */
const awsApiGateway: GatewayMapping = {
  name: 'aws-apigateway',
  fields: {
    time: ['requestTimeEpoch', 'requestTime'],
    keyId: ['apiKeyId', 'identity.apiKeyId'],
    consumer: ['caller', 'identity.caller', 'user', 'identity.user', 'principalId', 'authorizer.principalId'],
    clientIp: ['ip', 'sourceIp', 'identity.sourceIp'],
    userAgent: ['userAgent', 'identity.userAgent'],
    method: 'httpMethod',
    route: 'resourcePath',
    path: 'path',
    status: 'status',
    requestId: ['requestId', 'extendedRequestId'],
    account: ['accountId', 'identity.accountId'],
  },
  timeUnit: 'ms',
  secretFields: ['apiKey', 'identity.apiKey'],
  detect: ['requestId', 'httpMethod'],
};

export const GATEWAY_PRESETS: Record<'kong' | 'envoy' | 'aws-apigateway', GatewayMapping> = {
  kong,
  envoy,
  'aws-apigateway': awsApiGateway,
};
