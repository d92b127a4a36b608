import type { Unwrapped } from './adapter.ts';
import { field, isObject, own } from './fields.ts';
import { parseJson } from './json.ts';

/**
 * CloudWatch Logs subscription payload (after base64 + gunzip, which happen at the edge):
 * `{"messageType":"DATA_MESSAGE","logEvents":[{"id","timestamp","message":"<one JSON record>"}]}`.
 * CloudTrail and API Gateway access logs both arrive this way.
 */
export function isCloudWatchLogsPayload(value: unknown): boolean {
  return (
    Array.isArray(own(value, 'logEvents')) && (own(value, 'messageType') !== undefined || own(value, 'logGroup') !== undefined)
  );
}

/** One element per log event message; control messages (subscription health checks) carry none. */
export function unwrapCloudWatchLogs(value: unknown): Unwrapped[] {
  if (own(value, 'messageType') === 'CONTROL_MESSAGE') return [];
  const logEvents = own(value, 'logEvents');
  if (!Array.isArray(logEvents)) return [];
  return logEvents.map((logEvent, i): Unwrapped => {
    const path = `logEvents[${i}].message`;
    const message = field(logEvent, 'message');
    if (isObject(message)) return { path, value: message };
    if (typeof message !== 'string') {
      return { path, reason: 'invalid_field', message: `${path}: must be a JSON string`, raw: logEvent };
    }
    const parsed = parseJson(message);
    if (parsed.ok) return { path, value: parsed.value };
    return { path, reason: 'invalid_json', message: `${path}: ${parsed.error}`, raw: message };
  });
}
