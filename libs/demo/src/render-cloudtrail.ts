import { eventSource } from './aws-actions.ts';
import type { AwsAction, Call } from './model.ts';
import { type Rng, UPPER_HEX } from './rng.ts';
import { isoSeconds } from './time.ts';
import { recordedUserAgent } from './user-agents.ts';

/** A CloudTrail record (one element of a trail file's `Records`), field order as AWS writes it. */
export function renderCloudTrail(call: Call, action: AwsAction, eventId: string, rng: Rng): Record<string, unknown> {
  const key = call.key;
  const record: Record<string, unknown> = {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: key.principalId,
      arn: key.arn,
      accountId: key.accountId,
      accessKeyId: key.keyId,
      userName: key.name,
    },
    eventTime: isoSeconds(call.ms),
    eventSource: eventSource(action),
    eventName: action.name,
    awsRegion: call.region,
    sourceIPAddress: call.ip,
    userAgent: recordedUserAgent(call.userAgent, action, key.traits),
  };
  if (call.error !== null) {
    record.errorCode = call.error.code;
    record.errorMessage = call.error.message;
  }
  record.requestParameters = call.params;
  record.responseElements = call.response ?? null;
  record.requestID = action.service === 's3' ? rng.chars(UPPER_HEX, 16) : rng.uuid();
  record.eventID = eventId;
  record.readOnly = action.readOnly;
  if (call.resources !== null) record.resources = call.resources;
  record.eventType = 'AwsApiCall';
  record.managementEvent = !action.data;
  record.recipientAccountId = key.accountId;
  record.eventCategory = action.data ? 'Data' : 'Management';
  record.tlsDetails = {
    tlsVersion: 'TLSv1.3',
    cipherSuite: 'TLS_AES_128_GCM_SHA256',
    clientProvidedHostHeader: hostHeader(action, call),
  };
  return record;
}

function hostHeader(action: AwsAction, call: Call): string {
  const host = call.params?.Host;
  if (typeof host === 'string') return host;
  if (action.service === 'iam') return 'iam.amazonaws.com';
  if (action.service === 'sts') return 'sts.amazonaws.com';
  return `${action.service}.${call.region}.amazonaws.com`;
}
