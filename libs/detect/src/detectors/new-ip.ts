import { ipPrefix } from '@keywatch/event';
import { ipInCidrs } from '@keywatch/registry';
import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { hash32 } from '../hash.ts';
import { PROFILE_LIMITS, rememberValue } from '../profile.ts';
import { historyPhrase, plural } from '../text.ts';
import { hasPublicIp, known, located, networkEvidence, teachNetwork, unlearnPrefix } from './shared.ts';

export const newIp = defineDetector({
  id: 'new_ip',
  name: 'Key used from a new IP network',
  options: z.strictObject({
    /**
     * A new /24 (/48) inside an ASN the key already uses is only reported for keys that stay on few
     * networks: cloud workloads that hop between prefixes of their provider are not news.
     */
    maxKnownPrefixesForSameAsn: z.number().int().min(0).default(3),
  }),
  state: ['ips', 'prefixes'],
  learn({ input, now, facts }, next) {
    if (!hasPublicIp(input)) return;
    next.ips = rememberValue(next.ips, hash32(input.event.sourceIp!), now, PROFILE_LIMITS.ips);
    next.prefixes = rememberValue(next.prefixes, facts.networkHash, now, PROFILE_LIMITS.prefixes);
  },
  evaluate(ctx) {
    const { input } = ctx;
    if (!hasPublicIp(input)) return null;
    const ip = input.event.sourceIp!;
    const { key } = input;
    if (key.allowedCidrs.length > 0) {
      if (ipInCidrs(ip, key.allowedCidrs)) return null;
      return {
        score: 60,
        reason: `called ${input.event.action} from ${located(input)}, outside its declared networks`,
        baseline: `declared networks: ${key.allowedCidrs.join(', ')}`,
        groupValue: ctx.facts.network ?? ip,
        evidence: networkEvidence(input),
      };
    }
    if (!ctx.learned) return null;
    const prefix = ctx.facts.network ?? ip;
    if (known(ctx.profile.prefixes, ctx.facts.networkHash, ctx)) return null;
    const asn = input.geo?.asn;
    const asnKnown = asn != null && known(ctx.profile.asns, asn, ctx) !== undefined;
    // Keys that already hop between many prefixes of their provider (cloud egress) get no news from one more.
    if (asnKnown && ctx.profile.prefixes.length > ctx.options.maxKnownPrefixesForSameAsn) return null;
    return {
      score: asnKnown ? 20 : 30,
      // Inside a known operator a new /24 is what redeploys and DHCP leases look like: context, not an alert.
      standalone: !asnKnown,
      reason: `called ${input.event.action} from ${located(input)}, a network (${prefix}) it has never used`,
      baseline: `${plural(ctx.profile.prefixes.length, 'network')} seen in ${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)}`,
      groupValue: prefix,
      evidence: { ...networkEvidence(input), prefix },
    };
  },
  teach: (profile, facts, now) => teachNetwork(profile, facts, now),
  unlearn: unlearnPrefix,
  suppress: (facts) => (facts.ip ? { cidrs: [ipPrefix(facts.ip) ?? facts.ip] } : {}),
});
