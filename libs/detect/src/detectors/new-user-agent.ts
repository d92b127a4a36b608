import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { userAgentFamily } from '../facts.ts';
import { hash32 } from '../hash.ts';
import { PROFILE_LIMITS, rememberValue } from '../profile.ts';
import { historyPhrase, plural } from '../text.ts';
import { dropValue, known, teachValue } from './shared.ts';

export const newUserAgent = defineDetector({
  id: 'new_user_agent',
  name: 'Key used by a new client (user agent)',
  options: z.strictObject({}),
  state: ['userAgents'],
  learn({ input, now, facts }, next) {
    if (input.event.userAgent)
      next.userAgents = rememberValue(next.userAgents, facts.userAgentHash, now, PROFILE_LIMITS.userAgents);
  },
  evaluate(ctx) {
    const ua = ctx.input.event.userAgent;
    if (!ua || !ctx.learned || ctx.profile.userAgents.length === 0) return null;
    const family = ctx.facts.userAgentFamily;
    if (!family || known(ctx.profile.userAgents, ctx.facts.userAgentHash, ctx)) return null;
    return {
      score: 20,
      reason: `called ${ctx.input.event.action} with user agent "${ua.slice(0, 120)}", a client it has never used`,
      baseline: `${plural(ctx.profile.userAgents.length, 'client family', 'client families')} seen in ${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)}`,
      groupValue: family,
      evidence: { user_agent: ua, family, ip: ctx.input.event.sourceIp, action: ctx.input.event.action },
    };
  },
  teach(profile, facts, now) {
    if (!facts.userAgent) return profile;
    return {
      ...profile,
      userAgents: teachValue(profile.userAgents, hash32(userAgentFamily(facts.userAgent)), now, PROFILE_LIMITS.userAgents),
    };
  },
  unlearn(profile, facts) {
    if (!facts.userAgent) return profile;
    return { ...profile, userAgents: dropValue(profile.userAgents, hash32(userAgentFamily(facts.userAgent))) };
  },
  suppress: (facts) => (facts.userAgent ? { userAgents: [userAgentFamily(facts.userAgent)] } : {}),
});
