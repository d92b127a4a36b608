import { z } from 'zod';
import { defineDetector } from '../detector.ts';
import { plural } from '../text.ts';

export const secretInLogs = defineDetector({
  id: 'secret_in_logs',
  name: 'Secret found in an audit record',
  options: z.strictObject({}),
  state: [],
  evaluate(ctx) {
    // `alert: false`: a secret the provider logs on every such call (STS session tokens), redacted but no leak.
    const secrets = ctx.input.event.secrets.filter((s) => s.alert !== false);
    const { action } = ctx.input.event;
    if (secrets.length === 0) return null;
    const kinds = [...new Set(secrets.map((s) => s.kind))];
    return {
      score: 75,
      reason: `has a call (${action}) whose audit record contained ${plural(secrets.length, 'secret')} (${kinds.join(', ')} at ${secrets.map((s) => s.path).join(', ')}); keywatch redacted them, rotate them at the source`,
      baseline: 'audit records must never contain secrets',
      groupValue: secrets
        .map((s) => s.fingerprint)
        .sort()
        .join(','),
      evidence: {
        kinds: kinds.join(','),
        paths: secrets.map((s) => s.path).join(','),
        fingerprints: secrets.map((s) => s.fingerprint).join(','),
      },
    };
  },
});
