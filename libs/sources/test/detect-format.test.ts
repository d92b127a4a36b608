import { describe, expect, it } from 'vitest';
import { detectFormat, normalizeRecord } from '../src/index.ts';

describe('detectFormat', () => {
  it.each([
    ['a trail file', { Records: [] }, 'cloudtrail'],
    ['an EventBridge CloudTrail event', { 'detail-type': 'AWS API Call via CloudTrail', detail: {} }, 'cloudtrail'],
    ['a CloudTrail record', { eventVersion: '1.08', eventName: 'X' }, 'cloudtrail'],
    ['a lower-cased CloudTrail record', { eventsource: 's3.amazonaws.com', eventname: 'X' }, 'cloudtrail'],
    [
      'a CloudWatch Logs batch of CloudTrail',
      { messageType: 'DATA_MESSAGE', logEvents: [{ message: '{"eventVersion":"1.08"}' }] },
      'cloudtrail',
    ],
    ['a GCP LogEntry', { protoPayload: { methodName: 'x' } }, 'gcp-audit'],
    ['a lower-cased GCP LogEntry', { protopayload: { methodName: 'x' } }, 'gcp-audit'],
    ['a GCP entry by log name', { logName: 'projects/p/logs/cloudaudit.googleapis.com%2Factivity' }, 'gcp-audit'],
    ['a GitHub event', { action: 'repo.create', actor: 'octocat', created_at: 1 }, 'github-audit'],
    ['a Kong line', { started_at: 1, client_ip: '1.2.3.4', request: { method: 'GET' } }, 'gateway'],
    ['an API Gateway line', { requestId: 'r', httpMethod: 'GET' }, 'gateway'],
    ['an Envoy line', { time: 't', method: 'GET', status: 200, key_id: 'k' }, 'gateway'],
    ['a canonical event', { credentialId: 'k', action: 'a', time: 't' }, 'canonical'],
    ['a JSON array, by its first element', [{ Records: [] }], 'cloudtrail'],
  ])('recognises %s', (_name, value, format) => {
    expect(detectFormat(value)).toBe(format);
  });

  it.each([
    ['a bare GCP method name', { methodName: 'v1.compute.firewalls.patch' }],
    ['a bare event type', { eventType: 'logout' }],
    ['an action alone', { action: 'x' }],
    ['a string', 'hello'],
    ['nested arrays', [[{ Records: [] }]]],
    ['null', null],
  ])('does not guess for %s', (_name, value) => {
    expect(detectFormat(value)).toBeNull();
  });

  it('makes auto mode dead-letter unknown records as unknown_format, naming their keys', () => {
    const result = normalizeRecord({ eventType: 'logout' }, { format: 'auto' });
    expect(result.deadLetters).toEqual([
      {
        reason: 'unknown_format',
        message: '(record): not a recognised format (keys: eventType)',
        record: { eventType: 'logout' },
      },
    ]);
  });

  it('detects per element in auto mode', () => {
    const result = normalizeRecord(
      [
        {
          eventVersion: '1.08',
          eventTime: '2026-03-04T02:17:09Z',
          eventSource: 's3.amazonaws.com',
          eventName: 'GetObject',
          userIdentity: { accessKeyId: 'AKIAEXAMPLEKEY000001' },
        },
        { action: 'repo.create', actor: 'octocat', created_at: 1772590629000 },
      ],
      { format: 'auto' },
    );
    expect(result.events.map((e) => e.source)).toEqual(['cloudtrail', 'github-audit']);
  });
});
