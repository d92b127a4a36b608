/**
 * Record-derived text (user agents, actions, paths, resources, principals) is chosen by whoever made the call.
 * Each medium gets its own escaping here, in one place: destinations, the terminal and HTML reports use these.
 */

/** ANSI/VT escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`), other two-byte escapes, and 8-bit CSI. */
const ESCAPE_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]/g;
/** C0 and C1 control characters (newlines and tabs included: one value must not fake a second line). */
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
/** Bidirectional overrides and isolates, which make text display in another order than it is stored. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Plain text safe for a terminal, a PagerDuty summary, a log line: escape sequences and bidi controls removed,
 * other control characters (newlines included) turned into spaces.
 */
export function plainText(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(BIDI, '').replace(CONTROL, ' ');
}

/**
 * Slack mrkdwn: `&`, `<` and `>` are its control characters (`<!channel>`, `<https://evil|Click here>`), so they
 * become entities; control characters go as in plainText. Pair with `verbatim: true` so bare URLs and channel
 * names are not auto-linked.
 */
export function escapeSlackMrkdwn(text: string): string {
  return plainText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** HTML text and attribute values (double- or single-quoted); control characters go as in plainText. */
export function escapeHtml(text: string): string {
  return plainText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
