import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { isAuthorizationFailure } from '../failures.ts';
import { historyPhrase, pct, plural } from '../text.ts';
import { binomialTail } from './stats.ts';

/** Windows with fewer calls say little about a key's usual failure share. */
const MIN_WINDOW_EVENTS = 5;
const FAILURE_RATE_SMOOTHING = 0.2;

/**
 * Authorization failures in a tumbling window against the key's own failure share: with n calls in the
 * window and the key's usual share p (never taken below `minRate`), the number of denials is Binomial(n, p);
 * a window whose denials are that unlikely (tail ≤ `tailProbability`) — and at least `minFailures`, at least
 * `minShare` of the window — is a spike. Throttling and ordinary errors are not counted: a stolen key
 * probing permissions produces AccessDenied/Unauthorized, a busy bot produces ThrottlingException.
 */
export const failureSpike = defineDetector({
  id: 'failure_spike',
  name: 'Spike of authorization failures',
  options: z.strictObject({
    windowSeconds: z.number().int().positive().default(600),
    /** At least this many authorization failures in one window... */
    minFailures: z.number().int().min(1).default(10),
    /** ...making at least this share of the window's calls... */
    minShare: z.number().min(0).max(1).default(0.3),
    /** ...and at most this likely under the key's own failure share. */
    tailProbability: z.number().gt(0).lt(1).default(1e-6),
    /** The key's share is never assumed below this (a clean history is not a promise of zero). */
    minRate: z.number().min(0).max(1).default(0.02),
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
    if (share < o.minShare) return null;
    const rate = Math.max(o.minRate, ctx.profile.failureRate);
    const tail = binomialTail(window.authFailures, window.events, rate);
    if (tail > o.tailProbability) return null;
    const minutes = Math.round(o.windowSeconds / 60);
    return {
      score: 60,
      reason: `had ${window.authFailures} of ${plural(window.events, 'call')} denied within ${minutes} minutes (latest: ${event.action} → ${event.errorCode})`,
      baseline: `its usual authorization-failure share is ${pct(ctx.profile.failureRate)} (${historyPhrase(ctx.profile.events, ctx.profile.firstSeen, ctx.now)}); this many denials at ${pct(rate)} has probability ${tail.toExponential(1)}`,
      groupValue: '',
      evidence: {
        failures: window.authFailures,
        calls: window.events,
        usual_share: Number(ctx.profile.failureRate.toFixed(4)),
        tail_probability: Number(tail.toExponential(2)),
        action: event.action,
        error_code: event.errorCode,
        ip: event.sourceIp,
      },
    };
  },
  teach(profile, facts) {
    if (facts.failures === null || !facts.calls) return profile;
    // Taught as the key's usual share: the same window is then ordinary.
    return { ...profile, failureRate: Math.max(profile.failureRate, facts.failures / facts.calls) };
  },
});
