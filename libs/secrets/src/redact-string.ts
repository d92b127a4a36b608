import { EMBEDDED_PATTERNS, MIGHT_HOLD_SECRET } from './patterns.ts';
import { isPlaceholder } from './placeholder.ts';

export interface StringFinding {
  kind: string;
  /** The secret itself; callers fingerprint it and must not keep it. */
  value: string;
}

/** Too short to hold any secret we detect; skipping them keeps the per-record cost low. */
export const MIN_SECRET_LENGTH = 8;

export function marker(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/** Replaces every embedded secret in `text`, keeping the rest of the string. */
export function redactString(text: string): { text: string; findings: StringFinding[] } {
  const findings: StringFinding[] = [];
  if (text.length < MIN_SECRET_LENGTH || !MIGHT_HOLD_SECRET.test(text)) return { text, findings };
  let out = text;
  for (const pattern of EMBEDDED_PATTERNS) {
    pattern.regex.lastIndex = 0;
    out = out.replace(pattern.regex, (match: string, ...rest: unknown[]) => {
      const groups = rest.at(-1) as Record<string, string | undefined> | undefined;
      const secret = typeof groups === 'object' && groups?.secret !== undefined ? groups.secret : match;
      if (isPlaceholder(secret) || (pattern.accept !== undefined && !pattern.accept(secret))) return match;
      const kind = pattern.kindOf?.(match) ?? pattern.kind;
      findings.push({ kind, value: secret });
      return match.slice(0, match.length - secret.length) + marker(kind);
    });
  }
  return { text: out, findings };
}
