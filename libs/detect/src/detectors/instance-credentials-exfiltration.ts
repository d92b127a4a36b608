import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { hash32 } from '../hash.ts';
import type { DetectInput } from '../types.ts';
import { known } from './shared.ts';

/** EC2 names an instance profile's role session after the instance: `i-` + 8 or 17 hex digits. */
const INSTANCE_SESSION = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** Clients that run on a person's computer, not on a Linux server: macOS and Windows SDK/CLI builds, browsers. */
const DESKTOP_CLIENT =
  /\b(Darwin\/|Mac OS X|macOS|Macintosh|Windows NT|Windows\/\d|Win64|Win32|os\/(macos|windows))|^Mozilla\/5\.0 \(/i;

/**
 * In the spirit of GuardDuty's InstanceCredentialExfiltration: the credentials of an EC2 instance role
 * session (session name `i-…`) used where the instance is not. Two signs, each enough:
 * - a desktop client (macOS or Windows build of an SDK or CLI, a browser) that the role's sessions have
 *   never used: instances run server builds, a laptop runs these;
 * - an address outside the addresses the role's sessions have called from, that is not a cloud or hosting
 *   network, once the role has been seen from at least one address (an instance calls from its public
 *   or NAT address; a copied credential calls from the attacker's network).
 * It needs no learning period: one call is enough, as for GuardDuty. Blind spots and false alarms are in
 * docs/detection.md (instances reaching AWS through VPC endpoints, Windows or Mac instances' first call).
 */
export const instanceCredentialsExfiltration = defineDetector({
  id: 'instance_credentials_exfiltration',
  name: 'Instance credentials used outside the instance',
  options: z.strictObject({}),
  // Reads what new_ip and new_user_agent learn: the role's addresses and clients.
  state: ['ips', 'userAgents'],
  evaluate(ctx) {
    const { event, geo } = ctx.input;
    const session = instanceSession(ctx.input);
    if (session === null) return null;
    const evidence = {
      session,
      role: event.identity ?? null,
      ip: event.sourceIp,
      address: event.sourceAddress,
      user_agent: event.userAgent,
      known_addresses: ctx.profile.ips.length,
      action: event.action,
    };
    const ua = event.userAgent;
    if (ua !== null && DESKTOP_CLIENT.test(ua) && !known(ctx.profile.userAgents, ctx.facts.userAgentHash, ctx)) {
      return {
        score: 90,
        reason: `used the credentials of instance ${session} from a desktop client ("${ua.slice(0, 120)}") at ${event.sourceIp ?? event.sourceAddress ?? 'an unknown address'}`,
        baseline: `instances run server clients; the role's sessions never used this one`,
        groupValue: `client:${ctx.facts.userAgentFamily ?? ''}`,
        evidence,
      };
    }
    const ip = event.sourceIp;
    if (ip === null || ctx.profile.ips.length === 0) return null;
    if (geo?.network === 'hosting' || geo?.cloud != null) return null;
    if (known(ctx.profile.ips, hash32(ip), ctx)) return null;
    const where =
      geo?.network === 'private'
        ? 'a private address'
        : `${geo?.country ?? 'an unknown country'}, ${geo?.asOrg ?? 'not a cloud network'}`;
    return {
      score: 90,
      reason: `used the credentials of instance ${session} from ${ip} (${where}), an address none of the role's sessions has called from and not a cloud network`,
      baseline: `the role's sessions called from ${ctx.profile.ips.length} known address${ctx.profile.ips.length === 1 ? '' : 'es'}`,
      groupValue: `ip:${ip}`,
      evidence,
    };
  },
});

/** The instance id when the call was signed with an EC2 instance profile's role session, else null. */
function instanceSession(input: DetectInput): string | null {
  const { credentialKind, session } = input.event;
  if (credentialKind !== 'role_session' || session == null) return null;
  return INSTANCE_SESSION.test(session) ? session : null;
}
