import type { ApiError, AwsAction, KeyProfile } from './model.ts';
import type { Rng } from './rng.ts';

/** Services whose denial code is plain `AccessDenied`; most newer services say `AccessDeniedException`. */
const PLAIN_ACCESS_DENIED = new Set(['s3', 'iam', 'sts', 'sqs', 'sns']);

/** The error AWS returns when the key's policy does not allow the call. */
export function accessDenied(action: AwsAction, key: KeyProfile): ApiError {
  const op = `${action.service}:${action.name.replace(/\d{8}$/, '')}`;
  const why = `User: ${key.arn} is not authorized to perform: ${op} because no identity-based policy allows the ${op} action`;
  if (action.service === 's3') return { code: 'AccessDenied', message: 'Access Denied' };
  if (action.service === 'ec2')
    return { code: 'Client.UnauthorizedOperation', message: `You are not authorized to perform this operation. ${why}` };
  return { code: PLAIN_ACCESS_DENIED.has(action.service) ? 'AccessDenied' : 'AccessDeniedException', message: why };
}

export function throttled(action: AwsAction): ApiError {
  if (action.service === 's3') return { code: 'SlowDown', message: 'Please reduce your request rate.' };
  return { code: 'ThrottlingException', message: 'Rate exceeded' };
}

function notFound(action: AwsAction): ApiError | null {
  switch (action.service) {
    case 's3':
      return action.name === 'GetObject' || action.name === 'HeadObject'
        ? { code: 'NoSuchKey', message: 'The specified key does not exist.' }
        : null;
    case 'dynamodb':
    case 'secretsmanager':
      return { code: 'ResourceNotFoundException', message: 'Requested resource not found' };
    case 'ssm':
      return { code: 'ParameterNotFound', message: 'Parameter not found.' };
    default:
      return null;
  }
}

/** A background failure, as a healthy bot sees a few: mostly missing objects and throttling, rarely a denial. */
export function backgroundFailure(action: AwsAction, key: KeyProfile, rng: Rng): ApiError {
  const missing = notFound(action);
  const roll = rng.next();
  if (missing !== null && roll < 0.6) return missing;
  if (roll < 0.85) return throttled(action);
  return accessDenied(action, key);
}
