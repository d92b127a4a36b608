import { appendFile } from 'node:fs/promises';
import type { EcsAlert } from '@keywatch/alerts';
import { z } from 'zod';
import { defineDestination } from './module.ts';
import type { DeliveryResult, Destination } from './types.ts';

/** Appends alerts as NDJSON, one line per alert, in one write per batch. */
export class FileDestination implements Destination {
  readonly name: string;
  readonly kind = 'file' as const;
  readonly #path: string;

  constructor(options: { name: string; path: string }) {
    this.name = options.name;
    this.#path = options.path;
  }

  async send(alerts: EcsAlert[]): Promise<DeliveryResult[]> {
    if (alerts.length === 0) return [];
    try {
      await appendFile(this.#path, alerts.map((alert) => `${JSON.stringify(alert)}\n`).join(''), 'utf8');
      return alerts.map(() => ({ status: 'delivered' }));
    } catch (err) {
      const reason = `cannot append to ${this.#path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`;
      return alerts.map(() => ({ status: 'retry', reason }));
    }
  }

  async close(): Promise<void> {}
}

export const fileModule = defineDestination({
  kind: 'file',
  schema: z.object({ kind: z.literal('file'), path: z.string().min(1) }).strict(),
  create: (name, config) => new FileDestination({ name, path: config.path }),
  capabilities: { digest: false, resolve: false, startup: false },
});
