import { isCloudWatchLogsPayload } from './cloudwatch-logs.ts';
import { isObject, own } from './fields.ts';
import { SOURCES, type SourceFormat } from './formats.ts';
import { parseJson } from './json.ts';

/**
 * Guesses the source format of one record by asking each registered format's recogniser in turn.
 * Minimal records (a bare `{"methodName": …}` or `{"eventType": "logout"}`) are not guessed: they
 * yield null, and the caller dead-letters them as `unknown_format` unless the format was given.
 */
export function detectFormat(value: unknown): SourceFormat | null {
  if (Array.isArray(value)) return Array.isArray(value[0]) ? null : detectFormat(value[0]);
  if (!isObject(value)) return null;
  for (const source of SOURCES) if (source.recognise(value)) return source.format;
  if (isCloudWatchLogsPayload(value)) return detectCloudWatchMessage(value);
  return null;
}

/** A CloudWatch Logs payload is of the format of its first message, among those CloudWatch delivers. */
function detectCloudWatchMessage(v: Record<string, unknown>): SourceFormat | null {
  const first = own(v, 'logEvents');
  const message = Array.isArray(first) ? own(first[0], 'message') : undefined;
  const parsed = typeof message === 'string' ? parseJson(message) : { ok: true as const, value: message };
  if (!parsed.ok || !isObject(parsed.value)) return null;
  const record = parsed.value;
  return SOURCES.find((s) => s.cloudWatchLogs === true && s.recognise(record))?.format ?? null;
}
