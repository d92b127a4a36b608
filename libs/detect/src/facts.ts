import { ipPrefix } from '@keywatch/event';
import { type Client, type ClientKind, clientOf } from './client.ts';
import { actionBit } from './detectors/actions.ts';
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
  /** What kind of client it is (client.ts); null without a user agent. */
  clientKind: ClientKind | null;
  /** `actionBit` of the action: its place in the key's vocabulary (volume_spike learns and judges by it). */
  actionBit: number;
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

/** Keys send the same few user agents over and over: their client is worked out once (the map starts over when full). */
const CLIENTS = new Map<string, Client>();

function cachedClient(ua: string): Client {
  let client = CLIENTS.get(ua);
  if (client === undefined) {
    client = clientOf(ua);
    if (CLIENTS.size >= PREFIX_CACHE_LIMIT) CLIENTS.clear();
    CLIENTS.set(ua, client);
  }
  return client;
}

export function eventFacts(event: DetectInput['event']): EventFacts {
  const prefix = event.sourceIp === null ? null : prefixOf(event.sourceIp);
  const network = prefix ?? event.sourceIp;
  const client = event.userAgent === null ? null : cachedClient(event.userAgent);
  const family = client?.family ?? null;
  return {
    prefix,
    network,
    networkHash: network === null ? 0 : hash32(network),
    userAgentFamily: family,
    userAgentHash: family === null ? 0 : hash32(family),
    clientKind: client?.kind ?? null,
    actionBit: actionBit(event.action),
  };
}
