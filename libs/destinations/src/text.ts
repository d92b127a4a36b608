/** Cuts a string to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Escapes a value for Slack mrkdwn: `&`, `<` and `>` are the control characters, so an attacker-chosen user
 * agent or principal cannot inject links or `<!channel>` mentions.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
