import { appendFile } from 'node:fs/promises';
import type { QueuedDelivery } from './types.ts';

/** A dead-letter sink that appends one NDJSON line per alert: when, where it was going, why it failed, and the alert. */
export function deadLetterFile(path: string, now: () => number = Date.now) {
  return async (item: QueuedDelivery, reason: string): Promise<void> => {
    const line = {
      deadLetteredAt: new Date(now()).toISOString(),
      destination: item.destination,
      id: item.id,
      attempts: item.attempts,
      reason,
      alert: item.alert,
    };
    await appendFile(path, `${JSON.stringify(line)}\n`, 'utf8');
  };
}
