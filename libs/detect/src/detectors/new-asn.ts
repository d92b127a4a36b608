import { ipInCidrs } from '@keywatch/registry';
import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { PROFILE_LIMITS, rememberValue } from '../profile.ts';
import { historyPhrase, plural } from '../text.ts';
import { dropValue, hasPublicIp, known, located, networkEvidence, teachNetwork, unlearnPrefix } from './shared.ts';

export const newAsn = defineDetector({
  id: 'new_asn',
  name: 'Key used from a new network operator (ASN)',
  options: z.strictObject({}),
  state: ['asns'],
  covers: ['new_ip'],
  learn({ input, now }, next) {
    const asn = input.geo?.asn;
    if (hasPublicIp(input) && asn != null) next.asns = rememberValue(next.asns, asn, now, PROFILE_LIMITS.asns);
  },
  evaluate(ctx) {
    const { input } = ctx;
    const asn = input.geo?.asn;
    if (!hasPublicIp(input) || asn == null || !ctx.learned) return null;
    if (ipInCidrs(input.event.sourceIp!, input.key.allowedCidrs)) return null;
    if (known(ctx.profile.asns, asn, ctx)) return null;
    return {
      score: 45,
      reason: `called ${input.event.action} from ${located(input)}, a network operator it has never used`,
      baseline: `${plural(ctx.profile.asns.length, 'ASN')} seen (${ctx.profile.asns.map((a) => `AS${a.h}`).join(', ') || 'none'}) in ${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)}`,
      groupValue: `AS${asn}`,
      evidence: networkEvidence(input),
    };
  },
  teach: (profile, facts, now) => teachNetwork(profile, facts, now),
  unlearn(profile, facts) {
    const next = unlearnPrefix(profile, facts);
    if (facts.asn !== null) next.asns = dropValue(next.asns, facts.asn);
    return next;
  },
  suppress: (facts) => (facts.asn !== null ? { asns: [facts.asn] } : {}),
});
