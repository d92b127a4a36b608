export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

/** JSON.parse that reports instead of throwing, with a message safe to log. */
export function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: safeJsonError(error) };
  }
}

/**
 * V8's JSON.parse messages quote the input (`Unexpected token 'g', "ghp_abc"... is not valid JSON`),
 * which may be part of a secret: keep the diagnosis, drop the quote.
 */
function safeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `invalid JSON: ${message.replace(/, ".*"(?:\.\.\.)? is not valid JSON$/s, ' (not valid JSON)')}`;
}
