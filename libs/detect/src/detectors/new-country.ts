import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { countryCode, PROFILE_LIMITS, rememberValue } from '../profile.ts';
import { historyPhrase } from '../text.ts';
import { dropValue, hasCountry, known, located, networkEvidence, teachNetwork, unlearnPrefix } from './shared.ts';

export const newCountry = defineDetector({
  id: 'new_country',
  name: 'Key used from a new country',
  options: z.strictObject({}),
  state: ['countries'],
  covers: ['new_asn', 'new_ip'],
  learn({ input, now }, next) {
    const country = input.geo?.country;
    if (hasCountry(input) && country) {
      next.countries = rememberValue(next.countries, countryCode(country), now, PROFILE_LIMITS.countries);
    }
  },
  evaluate(ctx) {
    const { input } = ctx;
    const country = input.geo?.country;
    if (!hasCountry(input) || !country) return null;
    const declared = input.key.allowedCountries;
    if (declared.length > 0) {
      if (declared.includes(country)) return null;
      return {
        score: 80,
        reason: `called ${input.event.action} from ${located(input)}, a country outside its declared countries`,
        baseline: `declared countries: ${declared.join(', ')}`,
        groupValue: country,
        evidence: networkEvidence(input),
      };
    }
    if (!ctx.learned || known(ctx.profile.countries, countryCode(country), ctx)) return null;
    const seen = ctx.profile.countries.map((c) => String.fromCharCode(c.h >> 8, c.h & 0xff)).join(', ');
    return {
      score: 70,
      reason: `called ${input.event.action} from ${located(input)}, a country it has never used`,
      baseline: `countries seen: ${seen || 'none'} in ${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)}`,
      groupValue: country,
      evidence: networkEvidence(input),
    };
  },
  teach: (profile, facts, now) => teachNetwork(profile, facts, now),
  unlearn(profile, facts) {
    const next = unlearnPrefix(profile, facts);
    if (facts.asn !== null) next.asns = dropValue(next.asns, facts.asn);
    if (facts.country) next.countries = dropValue(next.countries, countryCode(facts.country));
    return next;
  },
  suppress: (facts) => (facts.country ? { countries: [facts.country] } : {}),
});
