/** Small, hand-controlled CloudTrail streams for end-to-end tests of the CLI. */

export const KEY = 'AKIAEXAMPLEKEY000001';

export interface CallSpec {
  time: string;
  ip: string;
  action?: string;
  readOnly?: boolean;
  errorCode?: string;
  userAgent?: string;
  requestParameters?: Record<string, unknown>;
  id?: string;
}

let n = 0;
export function cloudTrailRecord(c: CallSpec, key = KEY): Record<string, unknown> {
  n++;
  const [service, name] = (c.action ?? 's3:GetObject').split(':');
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEPRINCIPAL1',
      arn: 'arn:aws:iam::111122223333:user/report-bot',
      accountId: '111122223333',
      accessKeyId: key,
      userName: 'report-bot',
    },
    eventTime: c.time,
    eventSource: `${service}.amazonaws.com`,
    eventName: name,
    awsRegion: 'eu-central-1',
    sourceIPAddress: c.ip,
    userAgent: c.userAgent ?? 'aws-sdk-java/2.25.10 Linux/5.10 OpenJDK_64-Bit_Server_VM/17',
    requestParameters: c.requestParameters ?? { bucketName: 'reports' },
    responseElements: null,
    ...(c.errorCode ? { errorCode: c.errorCode, errorMessage: 'Access Denied' } : {}),
    requestID: `REQ${String(n).padStart(8, '0')}`,
    eventID: c.id ?? `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    readOnly: c.readOnly ?? true,
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: '111122223333',
    eventCategory: 'Data',
  };
}

/** `days` weekdays of a bot reading every 30 minutes from 09:00 to 17:00 UTC, from AWS (3.64.1.x). */
export function normalWeek(days: number, start = '2026-03-02'): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const t0 = Date.parse(`${start}T00:00:00Z`);
  for (let d = 0; d < days; d++) {
    const day = t0 + d * 86400_000;
    const wd = new Date(day).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    for (let m = 9 * 60; m < 17 * 60; m += 30) {
      out.push(
        cloudTrailRecord({ time: new Date(day + m * 60_000).toISOString().replace('.000', ''), ip: `3.64.1.${10 + (m % 3)}` }),
      );
    }
  }
  return out;
}

export const ndjson = (records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;

/** The attack of the e2e tests: the key used from DigitalOcean in Amsterdam, deleting a bucket, on the next Monday. */
export function mondayAttack(): Record<string, unknown>[] {
  return [
    cloudTrailRecord({ time: '2026-03-09T10:00:00Z', ip: '188.166.1.2', action: 'sts:GetCallerIdentity', id: 'attack-1' }),
    cloudTrailRecord({
      time: '2026-03-09T10:01:00Z',
      ip: '188.166.1.2',
      action: 's3:DeleteBucket',
      readOnly: false,
      id: 'attack-2',
    }),
  ];
}
