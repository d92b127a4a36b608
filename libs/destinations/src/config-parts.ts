import { ConfigError, resolveSecret, type Secret, type SecretRef } from '@keywatch/config';
import { z } from 'zod';

/** Schema parts shared by the destinations' config sections. */
export const timeoutMs = z.number().int().positive().max(300_000).default(10_000);

export const httpUrl = z.url({ protocol: /^https?$/ });

/** A plain URL that must not carry credentials: those belong in secret references. */
export const urlWithoutCredentials = httpUrl.refine((url) => {
  const parsed = new URL(url);
  return parsed.username === '' && parsed.password === '';
}, 'must not contain credentials; use apiKey or username/password secret references');

/**
 * A URL that comes from a secret can only be checked once read: one that can never work (malformed, another
 * scheme) fails at start naming the field, instead of being retried at every delivery. The value is never quoted.
 */
export function urlSecret(ref: SecretRef, env: NodeJS.ProcessEnv, field: string): Secret {
  const secret = resolveSecret(ref, env);
  let problem: string | null = null;
  try {
    const url = new URL(secret.reveal());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') problem = `must be an http(s) URL, not ${url.protocol}`;
  } catch {
    problem = 'is not a valid URL';
  }
  if (problem) throw new ConfigError('delivery configuration', [`${field}: the value of ${secret.source} ${problem}`]);
  return secret;
}
