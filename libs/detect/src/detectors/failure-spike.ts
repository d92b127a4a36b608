import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { isAuthorizationFailure } from '../failures.ts';
import { historyPhrase, pct, plural } from '../text.ts';

/** Windows with fewer calls say little about a key's usual failure share. */
const MIN_WINDOW_EVENTS = 5;
const FAILURE_RATE_SMOOTHING = 0.2;

/**
 * Throttling and ordinary errors are not counted: a stolen key probing permissions produces
 * AccessDenied/Unauthorized, a busy bot produces ThrottlingException.
 */
export const failureSpike = defineDetector({
  id: 'failure_spike',
  name: 'Spike of authorization failures',
  options: z.strictObject({
    windowSeconds: z.number().int().positive().default(600),
    /** At least this many authorization failures in one window... */
    minFailures: z.number().int().min(1).default(10),
    /** ...making at least this share of the window's calls... */
    minShare: z.number().min(0).max(1).default(0.5),
    /** ...and at least this many times the key's usual failure share. */
    factor: z.number().min(0).default(4),
  }),
  state: ['window', 'failureRate'],
  learn({ input, now, options }, next) {
    let { window, failureRate } = next;
    if (now >= window.start + options.windowSeconds) {
      if (window.events >= MIN_WINDOW_EVENTS) {
        failureRate += FAILURE_RATE_SMOOTHING * (window.authFailures / window.events - failureRate);
      }
      window = { start: now, events: 0, authFailures: 0 };
    }
    const auth = isAuthorizationFailure(input.event.errorCode) ? 1 : 0;
    next.window = { ...window, events: window.events + 1, authFailures: window.authFailures + auth };
    next.failureRate = failureRate;
  },
  evaluate(ctx) {
    const { event } = ctx.input;
    if (!isAuthorizationFailure(event.errorCode)) return null;
    const o = ctx.options;
    // The window after this event has been counted.
    const window = ctx.next.window;
    if (window.authFailures < o.minFailures) return null;
    const share = window.authFailures / window.events;
    if (share < o.minShare || share < ctx.profile.failureRate * o.factor) return null;
    const minutes = Math.round(o.windowSeconds / 60);
    return {
      score: 60,
      reason: `had ${window.authFailures} of ${plural(window.events, 'call')} denied within ${minutes} minutes (latest: ${event.action} → ${event.errorCode})`,
      baseline: `its usual authorization-failure share is ${pct(ctx.profile.failureRate)} (${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)})`,
      groupValue: '',
      evidence: {
        failures: window.authFailures,
        calls: window.events,
        action: event.action,
        error_code: event.errorCode,
        ip: event.sourceIp,
      },
    };
  },
  teach(profile, facts, _now, o) {
    if (facts.failures === null || !facts.calls) return profile;
    return { ...profile, failureRate: Math.max(profile.failureRate, facts.failures / facts.calls / o.factor + 0.01) };
  },
});
