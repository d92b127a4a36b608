import { SEVERITY_NUMBER, type SeverityLabel } from '@keywatch/alerts';

/** `-` as a file name means standard output, for every output option. */
export const STDOUT = '-';

/**
 * Colour on a stream, as Node.js decides it: FORCE_COLOR turns it on (off when `0` or `false`) and wins;
 * otherwise NO_COLOR (any non-empty value, https://no-color.org) turns it off; otherwise only on a terminal.
 */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** The severity labels, lowest first (the order of their `event.severity` numbers). */
export const SEVERITIES = Object.keys(SEVERITY_NUMBER) as SeverityLabel[];

/** True when `severity` is `threshold` or above it (`--fail-on high`: high and critical). */
export function atOrAbove(severity: SeverityLabel, threshold: SeverityLabel): boolean {
  return SEVERITY_NUMBER[severity] >= SEVERITY_NUMBER[threshold];
}
