/**
 * Which failures say "this caller is not allowed" (what enumeration with a stolen key produces) as
 * opposed to throttling or ordinary errors (a missing object). Only the first kind feeds failure_spike.
 */
const AUTH_FAILURE =
  /^(AccessDenied|Unauthorized|UnauthorizedOperation|AuthFailure|AuthorizationError|InvalidClientTokenId|SignatureDoesNotMatch|Forbidden|NotAuthorized|InvalidAccessKeyId|ExpiredToken|AccessDeniedException|Client\.UnauthorizedOperation|401|403|7|16|PERMISSION_DENIED|UNAUTHENTICATED)$/i;
const AUTH_PREFIX = /^(AccessDenied|Unauthorized|NotAuthorized|Forbidden)/i;

export function isAuthorizationFailure(errorCode: string | null): boolean {
  if (errorCode === null) return false;
  return AUTH_FAILURE.test(errorCode) || AUTH_PREFIX.test(errorCode);
}

/**
 * Which failures say "slow down": the provider refused the call for its rate, not its content (AWS
 * `ThrottlingException`, EC2 `RequestLimitExceeded`, S3 `SlowDown`, DynamoDB's throughput errors, HTTP 429, gRPC 8).
 * A client retries them at once in a backoff loop, so a throttling episode multiplies a key's calls without any
 * more work or data: volume_spike does not count them.
 */
const THROTTLED =
  /^(Throttling|ThrottlingException|ThrottledException|RequestLimitExceeded|Client\.RequestLimitExceeded|TooManyRequests|TooManyRequestsException|SlowDown|RequestThrottled|RequestThrottledException|ProvisionedThroughputExceededException|RequestLimitExceededException|429|8|RESOURCE_EXHAUSTED)$/i;

export function isThrottled(errorCode: string | null): boolean {
  return errorCode !== null && THROTTLED.test(errorCode);
}
