/** Values that stand in for a secret rather than being one: masks, templates, our own markers. */
const MASK = /^[*xX•#.\-_ ]+$/;
const WRAPPED = /^(?:<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[A-Za-z_]+%)$/;
/** Whole-value markers only: `redacted-but-Real123` is still a secret. */
const MARKER_WORDS = /^\W*(?:redacted|hidden_due_to_security_reasons|sensitive)\W*$|\[(?:REDACTED|TRUNCATED):/i;
const NON_SECRET_WORDS = new Set([
  'undefined',
  'null',
  'nil',
  'none',
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'set',
  'unset',
  'empty',
  'changed',
  'required',
  'optional',
  'disabled',
  'enabled',
]);

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return MASK.test(v) || WRAPPED.test(v) || MARKER_WORDS.test(v) || NON_SECRET_WORDS.has(v.toLowerCase());
}
