import type { CanonicalEvent } from '@keywatch/event';

/**
 * Whose baseline an event is judged against: where behaviour is stable.
 * - A long-lived key (`AKIA…`, a service-account key, a GitHub token): the key itself.
 * - A role session (`ASIA…` of an assumed role): its role, `role:<role ARN>`. Sessions last an hour and
 *   every one has a new key id, but they all run the role's code: a new session of a known role starts
 *   from the role's baseline on its first call instead of learning from zero.
 * - AWS IAM Identity Center roles (`AWSReservedSSO_…`) are shared by many people: their sessions are
 *   baselined per person, `principal:<assumed-role ARN>` (role + the user's session name).
 * - A user's temporary credentials (console sign-in, GetSessionToken, federation): the user, `principal:<user ARN>`,
 *   the same subject as that user's console calls logged without a key id.
 * - No identity known: the credential id.
 * A pure function of the event, so every stage (and the Kafka normalize role, which partitions by it) agrees.
 */
export function baselineSubject(event: CanonicalEvent): string {
  const identity = event.identity ?? null;
  if (identity === null) return event.credentialId;
  if (event.credentialKind === 'role_session') {
    if (/:role\/(.*\/)?AWSReservedSSO_/.test(identity) && event.principal !== null) return `principal:${event.principal}`;
    return `role:${identity}`;
  }
  if (event.credentialKind === 'user_session') return `principal:${identity}`;
  return event.credentialId;
}
