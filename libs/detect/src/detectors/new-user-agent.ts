import { z } from 'zod';
import { CLIENT_KINDS, clientOf, MACHINE_KINDS } from '../client.ts';
import { defineDetector } from '../detector.ts';
import { hash32 } from '../hash.ts';
import { PROFILE_LIMITS, rememberValue } from '../profile.ts';
import { historyPhrase, plural } from '../text.ts';
import { dropValue, known, teachValue } from './shared.ts';

/**
 * A client family the key never used (client.ts folds versions, per-call suffixes, run ids and CloudTrail's
 * brackets, so upgrades are not news). A hand-run tool (curl, python-requests, pacu, a Kali build, stratus)
 * alerts, most strongly on a key that only ever ran programs (SDKs, Terraform, the provider itself); so does
 * a human command line on such a key. Any other new family (another SDK) is context: it raises the risk of
 * the call and is named beside other findings, without paging anyone.
 */
export const newUserAgent = defineDetector({
  id: 'new_user_agent',
  name: 'Key used by a new client (user agent)',
  options: z.strictObject({
    /** Risk of a hand-run tool on a key that only ran programs; on other keys 15 less. */
    toolScore: z.number().min(0).max(100).default(60),
    /** Risk of a human command line (aws-cli) on a key that only ran programs. */
    cliScore: z.number().min(0).max(100).default(40),
  }),
  state: ['userAgents', 'clientKinds'],
  learn({ input, now, facts }, next) {
    if (!input.event.userAgent) return;
    next.userAgents = rememberValue(next.userAgents, facts.userAgentHash, now, PROFILE_LIMITS.userAgents);
    if (facts.clientKind !== null) next.clientKinds = next.clientKinds | CLIENT_KINDS[facts.clientKind];
  },
  evaluate(ctx) {
    const ua = ctx.input.event.userAgent;
    if (!ua || !ctx.learned || ctx.profile.userAgents.length === 0) return null;
    const { userAgentFamily: family, clientKind: kind } = ctx.facts;
    if (!family || kind === null || known(ctx.profile.userAgents, ctx.facts.userAgentHash, ctx)) return null;
    const kinds = ctx.profile.clientKinds;
    const programsOnly = kinds !== 0 && (kinds & ~MACHINE_KINDS) === 0;
    const o = ctx.options;
    let score = 20;
    let standalone = false;
    if (kind === 'tool') {
      score = programsOnly ? o.toolScore : o.toolScore - 15;
      standalone = true;
    } else if (kind === 'cli' && programsOnly) {
      score = o.cliScore;
      standalone = true;
    }
    const what =
      kind === 'tool'
        ? 'a hand-run HTTP client or attack tool'
        : kind === 'cli'
          ? 'a command line typed by a person'
          : `a ${kind === 'other' ? '' : `${kind} `}client`;
    return {
      score,
      standalone,
      reason: `called ${ctx.input.event.action} with user agent "${ua.slice(0, 120)}" (${family}), ${what} it has never used`,
      baseline: `${plural(ctx.profile.userAgents.length, 'client family', 'client families')} seen${programsOnly ? ', all of them programs (SDKs, Terraform, the provider)' : ''} in ${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)}`,
      groupValue: family,
      evidence: {
        user_agent: ua,
        family,
        client_kind: kind,
        programs_only: programsOnly,
        ip: ctx.input.event.sourceIp,
        action: ctx.input.event.action,
      },
    };
  },
  teach(profile, facts, now) {
    if (!facts.userAgent) return profile;
    const client = clientOf(facts.userAgent);
    return {
      ...profile,
      userAgents: teachValue(profile.userAgents, hash32(client.family), now, PROFILE_LIMITS.userAgents),
      clientKinds: profile.clientKinds | CLIENT_KINDS[client.kind],
    };
  },
  unlearn(profile, facts) {
    if (!facts.userAgent) return profile;
    return { ...profile, userAgents: dropValue(profile.userAgents, hash32(clientOf(facts.userAgent).family)) };
  },
  suppress: (facts) => (facts.userAgent ? { userAgents: [clientOf(facts.userAgent).family] } : {}),
});
