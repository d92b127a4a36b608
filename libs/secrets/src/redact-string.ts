import { EMBEDDED_PATTERNS, mightHoldSecret } from './patterns.ts';
import { isPlaceholder } from './placeholder.ts';

export interface StringFinding {
  kind: string;
  /** The secret itself; callers fingerprint it and must not keep it. */
  value: string;
}

/** Too short to hold any secret we detect (`pwd=ab`); skipping them keeps the per-record cost low. */
export const MIN_TEXT_LENGTH = 6;

export function marker(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/** Replaces every embedded secret in `text`, keeping the rest of the string. */
export function redactString(text: string): { text: string; findings: StringFinding[] } {
  if (text.length < MIN_TEXT_LENGTH || !mightHoldSecret(text)) return { text, findings: [] };
  return scanAll(text);
}

/** Every detector, without the pre-scan (exported for the test that the pre-scan loses nothing). */
export function scanAll(text: string): { text: string; findings: StringFinding[] } {
  const findings: StringFinding[] = [];
  let out = text;
  for (const pattern of EMBEDDED_PATTERNS) {
    pattern.regex.lastIndex = 0;
    out = out.replace(pattern.regex, (match: string, ...rest: unknown[]) => {
      // rest: the capture groups, the offset (a number), the input, then the named groups if any.
      const offsetAt = rest.findIndex((x) => typeof x === 'number');
      const named = rest.at(-1);
      const secret = typeof named === 'object' && named !== null ? ((named as { secret?: string }).secret ?? match) : match;
      if (isPlaceholder(secret) || (pattern.accept !== undefined && !pattern.accept(secret, match))) return match;
      const kind = pattern.kindOf?.(match, rest.slice(0, offsetAt) as (string | undefined)[]) ?? pattern.kind;
      findings.push({ kind, value: secret });
      return match.slice(0, match.length - secret.length) + marker(kind);
    });
  }
  return { text: out, findings };
}
