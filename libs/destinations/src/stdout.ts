import type { EcsAlert } from '@keywatch/alerts';
import { z } from 'zod';
import { defineDestination } from './module.ts';
import type { DeliveryResult, Destination } from './types.ts';

/** Writes alerts as NDJSON to a stream (process.stdout unless told otherwise). */
export class StdoutDestination implements Destination {
  readonly name: string;
  readonly kind = 'stdout' as const;
  readonly #stream: NodeJS.WritableStream;

  constructor(options: { name: string; stream?: NodeJS.WritableStream }) {
    this.name = options.name;
    this.#stream = options.stream ?? process.stdout;
  }

  async send(alerts: EcsAlert[]): Promise<DeliveryResult[]> {
    if (alerts.length === 0) return [];
    const text = alerts.map((alert) => `${JSON.stringify(alert)}\n`).join('');
    try {
      // Wait for the write to be handed off, so backpressure slows the dispatcher instead of growing memory.
      await new Promise<void>((resolve, reject) => this.#stream.write(text, (err) => (err ? reject(err) : resolve())));
      return alerts.map(() => ({ status: 'delivered' }));
    } catch (err) {
      const reason = `cannot write to stdout: ${(err as NodeJS.ErrnoException).code ?? 'error'}`;
      return alerts.map(() => ({ status: 'retry', reason }));
    }
  }

  async close(): Promise<void> {}
}

export const stdoutModule = defineDestination({
  kind: 'stdout',
  schema: z.object({ kind: z.literal('stdout') }).strict(),
  create: (name) => new StdoutDestination({ name }),
  capabilities: { digest: false, resolve: false, startup: false },
});
