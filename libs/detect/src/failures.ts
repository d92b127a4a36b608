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
