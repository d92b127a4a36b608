/** Values that stand in for a secret rather than being one: masks, templates, our own markers. */
const MASK = /^[*xX•#.\-_ ]+$/;
const WRAPPED = /^(?:<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[A-Za-z_]+%)$/;
const MARKER_WORDS = /redacted|hidden_due_to_security_reasons|\[TRUNCATED:/i;
const NON_SECRET_WORDS = new Set(['undefined', 'null', 'none', 'true', 'false', 'required', 'optional', 'disabled', 'enabled']);

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return MASK.test(v) || WRAPPED.test(v) || MARKER_WORDS.test(v) || NON_SECRET_WORDS.has(v.toLowerCase());
}
