import type { AccessClass, CanonicalEvent, FoundSecret } from '@keywatch/event';
import type { Adapter, Mapper, Unwrapped } from './adapter.ts';
import { callerAddress, firstForwardedIp } from './address.ts';
import { isCloudWatchLogsPayload, unwrapCloudWatchLogs } from './cloudwatch-logs.ts';
import { atPath, firstAt, isObject, text } from './fields.ts';
import { finishEvent } from './finish-event.ts';
import { GATEWAY_PRESETS } from './gateway-presets.ts';
import { deterministicId } from './hash.ts';
import { reject } from './rejection.ts';
import { defineSource } from './source-definition.ts';
import { parseTime } from './time.ts';
import type { FieldPath, GatewayMapping } from './types.ts';

/**
 * API gateway / egress proxy access logs (one JSON object per request), mapped by a configurable
 * GatewayMapping. Without one, the preset whose `detect` paths are all present is used, per record.
 * API Gateway logs delivered through a CloudWatch Logs subscription are unwrapped too.
 */
export function gatewayAdapter(mapping: GatewayMapping | undefined): Adapter {
  return {
    unwrap: (value): Unwrapped[] => (isCloudWatchLogsPayload(value) ? unwrapCloudWatchLogs(value) : [{ path: '', value }]),
    mapperFor: (element) => {
      const chosen = mapping ?? matchingPreset(element);
      if (chosen === null) {
        return reject('unknown_format', `no gateway preset fits this record (tried ${Object.keys(GATEWAY_PRESETS).join(', ')})`);
      }
      return mapperOf(chosen);
    },
  };
}

export const gatewaySource = defineSource({
  format: 'gateway',
  description: 'API gateway / egress proxy JSON access logs (kong, envoy, aws-apigateway presets or a mapping)',
  recognise: (v) => matchingPreset(v) !== null,
  cloudWatchLogs: true,
  adapter: (options) => gatewayAdapter(options.gateway),
  presets: GATEWAY_PRESETS,
});

/** The preset whose `detect` paths (default: time and key id) are all present in the record. */
export function matchingPreset(record: unknown): GatewayMapping | null {
  if (!isObject(record)) return null;
  for (const preset of Object.values(GATEWAY_PRESETS)) if (fits(record, preset)) return preset;
  return null;
}

function fits(record: unknown, mapping: GatewayMapping): boolean {
  const required = mapping.detect ?? [firstPath(mapping.fields.time), firstPath(mapping.fields.keyId)];
  return required.every((path) => atPath(record, path) !== undefined);
}

function firstPath(paths: FieldPath): string {
  return typeof paths === 'string' ? paths : (paths[0] ?? '');
}

function mapperOf(mapping: GatewayMapping): Mapper {
  return { secretPaths: mapping.secretFields ?? [], map: (record, secrets) => mapGateway(record, secrets, mapping) };
}

function mapGateway(record: unknown, secrets: FoundSecret[], mapping: GatewayMapping): CanonicalEvent {
  if (!isObject(record)) reject('invalid_field', '(record): must be a JSON object');
  const f = mapping.fields;
  const read = (paths: FieldPath | undefined, as: (v: unknown) => string | null = loggedValue): string | null =>
    paths === undefined ? null : firstAt(record, paths, as);

  const keyId = read(f.keyId);
  if (keyId === null) reject('no_credential', `${describe(f.keyId)}: required (the key's public id)`);
  const time = read(f.time, (v) => parseTime(v, mapping.timeUnit ?? 'ms'));
  if (time === null) reject('invalid_field', `${describe(f.time)}: missing or not a date`);

  const method = read(f.method)?.toUpperCase() ?? null;
  const path = read(f.path);
  const pathOnly = path === null ? null : (path.split('?')[0] ?? path);
  const target = read(f.route) ?? pathOnly;
  if (target === null) reject('invalid_field', `${describe(f.route ?? f.path ?? 'route')}: required (route or path)`);
  const status = statusOf(read(f.status));
  const forwarded = mapping.trustForwardedFor === true ? firstForwardedIp(read(f.forwardedFor)) : null;
  const address = forwarded !== null ? { sourceIp: forwarded, sourceAddress: null } : callerAddress(read(f.clientIp));

  return finishEvent(
    {
      id: read(f.requestId) ?? deterministicId(record),
      time,
      provider: mapping.name,
      source: 'gateway',
      credentialId: keyId,
      principal: read(f.consumer),
      account: read(f.account),
      ...address,
      userAgent: read(f.userAgent),
      action: method === null ? target : `${method} ${target}`,
      resource: pathOnly ?? target,
      accessClass: accessClassOf(method),
      outcome: status !== null && status >= 400 ? 'failure' : 'success',
      errorCode: status !== null && status >= 400 ? String(status) : null,
      region: read(f.region),
      secrets,
    },
    describe(f.keyId),
  );
}

/** Gateways log a missing value as `-` (Envoy, nginx) or null; both mean absent. Header arrays: first value. */
function loggedValue(v: unknown): string | null {
  const first = Array.isArray(v) ? v[0] : v;
  const s = text(first);
  return s === '-' ? null : s;
}

function statusOf(raw: string | null): number | null {
  return raw !== null && /^\d{3}$/.test(raw) ? Number(raw) : null;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function accessClassOf(method: string | null): AccessClass {
  if (method === null) return 'unknown';
  return READ_METHODS.has(method) ? 'read' : 'write';
}

function describe(paths: FieldPath): string {
  return typeof paths === 'string' ? paths : paths.join(' | ');
}
