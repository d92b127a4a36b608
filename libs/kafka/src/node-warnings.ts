import { sep } from 'node:path';

/**
 * kafkajs 2.2.4 arms its request queue's throttle timer with `throttledUntil - Date.now()`, negative whenever the
 * broker is not throttling it (tulios/kafkajs#1751). Node 24 clamps such a delay to 1 ms, which is what kafkajs
 * needs, and prints a `TimeoutNegativeWarning` to stderr: a raw line among a worker's JSON logs that reads like a
 * fault and is none. This drops that warning, and only when a kafkajs frame set the timer; every other warning
 * still goes to the listeners Node had (its printer, so `--no-warnings` and `--trace-warnings` behave as before).
 */
export function quietKafkajsTimerWarning(): void {
  if (installed) return;
  installed = true;
  const earlier = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (isKafkajsTimerWarning(warning)) return;
    for (const listener of earlier) listener(warning);
  });
}

let installed = false;

/** A `TimeoutNegativeWarning` whose stack goes through kafkajs' own files. */
export function isKafkajsTimerWarning(warning: Error): boolean {
  return warning.name === 'TimeoutNegativeWarning' && (warning.stack ?? '').includes(`${sep}kafkajs${sep}`);
}
