/** Cuts a string to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Slack mrkdwn escaping lives with the other media in @keywatch/alerts. */
export { escapeSlackMrkdwn as escapeMrkdwn, plainText } from '@keywatch/alerts';
