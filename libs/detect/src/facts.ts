import { ipPrefix } from '@keywatch/event';
import { hash32 } from './hash.ts';
import type { DetectInput } from './types.ts';

/** Values of the event that several detectors and the learning step use: derived once per event. */
export interface EventFacts {
  /** `ipPrefix` of the source IP; null without an IP or when it has no prefix. */
  prefix: string | null;
  /** The prefix, or the IP itself when it has none: what the profile's `prefixes` remember. Null without an IP. */
  network: string | null;
  /** `hash32(network)`; 0 without an IP. */
  networkHash: number;
  /** `userAgentFamily` of the user agent; null without one. */
  userAgentFamily: string | null;
  /** `hash32(userAgentFamily)`; 0 without a user agent. */
  userAgentHash: number;
}

/** Keys call from a few addresses over and over: their prefixes are remembered (the map starts over when full). */
const PREFIXES = new Map<string, string | null>();
const PREFIX_CACHE_LIMIT = 10_000;

function prefixOf(ip: string): string | null {
  let prefix = PREFIXES.get(ip);
  if (prefix === undefined) {
    prefix = ipPrefix(ip);
    if (PREFIXES.size >= PREFIX_CACHE_LIMIT) PREFIXES.clear();
    PREFIXES.set(ip, prefix);
  }
  return prefix;
}

export function eventFacts(event: DetectInput['event']): EventFacts {
  const prefix = event.sourceIp === null ? null : prefixOf(event.sourceIp);
  const network = prefix ?? event.sourceIp;
  const family = event.userAgent === null ? null : userAgentFamily(event.userAgent);
  return {
    prefix,
    network,
    networkHash: network === null ? 0 : hash32(network),
    userAgentFamily: family,
    userAgentHash: family === null ? 0 : hash32(family),
  };
}

/** The product name of a user agent (`aws-sdk-java`, `Boto3`, `python-requests`): an SDK upgrade is not news. */
export function userAgentFamily(ua: string): string {
  const trimmed = ua.trim();
  const end = trimmed.search(/[\s/]/);
  return (end < 0 ? trimmed : trimmed.slice(0, end)).toLowerCase().slice(0, 64);
}
