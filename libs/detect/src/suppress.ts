import { ipInCidrs } from '@keywatch/registry';
import { userAgentFamily } from './client.ts';
import type { DetectorId } from './registry.ts';
import type { DetectInput, Finding } from './types.ts';

/**
 * An allowlist entry: findings it matches are dropped before they can alert. Every non-empty list must
 * match the event (a list matches when any of its values does). No criteria at all mutes the rules for
 * the key.
 */
export interface Suppression {
  id: string;
  /** Credential id, or null for every key. */
  key: string | null;
  /** Detector ids it applies to; empty = every detector. */
  rules: DetectorId[];
  cidrs: string[];
  asns: number[];
  countries: string[];
  /** User-agent families (`boto3`, `curl`): the first product token, lower case. */
  userAgents: string[];
  /** Actions, `*` as a wildcard (`s3:Get*`). */
  actions: string[];
  /** Epoch seconds after which it no longer applies; null = never expires. */
  expires: number | null;
  reason: string;
}

export function suppressionFor(
  finding: Finding,
  input: DetectInput,
  suppressions: readonly Suppression[],
  now: number,
): Suppression | null {
  for (const s of suppressions) {
    if (s.expires !== null && now > s.expires) continue;
    if (s.key !== null && s.key !== input.event.credentialId) continue;
    if (s.rules.length > 0 && !s.rules.includes(finding.detector)) continue;
    if (matches(s, input)) return s;
  }
  return null;
}

function matches(s: Suppression, input: DetectInput): boolean {
  const { event, geo } = input;
  if (s.cidrs.length > 0 && (event.sourceIp === null || !ipInCidrs(event.sourceIp, s.cidrs))) return false;
  if (s.asns.length > 0 && (geo?.asn == null || !s.asns.includes(geo.asn))) return false;
  if (s.countries.length > 0 && (!geo?.country || !s.countries.includes(geo.country))) return false;
  if (s.userAgents.length > 0 && (!event.userAgent || !s.userAgents.includes(userAgentFamily(event.userAgent)))) return false;
  if (s.actions.length > 0 && !s.actions.some((a) => globMatch(a, event.action))) return false;
  return true;
}

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(value);
}
