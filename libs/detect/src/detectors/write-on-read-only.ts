import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { historyPhrase } from '../text.ts';

export const writeOnReadOnly = defineDetector({
  id: 'write_on_read_only',
  name: 'Write call on a read-only key',
  options: z.strictObject({}),
  state: ['writes'],
  learn({ input }, next) {
    if (input.event.accessClass === 'write') next.writes = next.writes + 1;
  },
  evaluate(ctx) {
    const { event, key } = ctx.input;
    if (event.accessClass !== 'write') return null;
    const outcome = event.outcome === 'failure' ? ` (it failed: ${event.errorCode ?? 'error'})` : ' (it succeeded)';
    const evidence = { action: event.action, outcome: event.outcome, error_code: event.errorCode, ip: event.sourceIp };
    if (key.scope === 'read-only') {
      return {
        score: event.outcome === 'success' ? 85 : 70,
        reason: `called ${event.action}, a write call, although the key is declared read-only${outcome}`,
        baseline: 'declared scope read-only in the key registry',
        groupValue: '',
        evidence,
      };
    }
    if (key.scope === 'read-write' || !ctx.learned || ctx.profile.writes > 0) return null;
    return {
      score: event.outcome === 'success' ? 60 : 50,
      reason: `called ${event.action}, a write call, from a key that has only ever read${outcome}`,
      baseline: `no write in ${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)} (scope not declared)`,
      groupValue: '',
      evidence,
    };
  },
  teach: (profile) => ({ ...profile, writes: Math.max(1, profile.writes) }),
  suppress: (facts) => (facts.action ? { actions: [facts.action] } : {}),
});
