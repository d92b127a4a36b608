// A destination for dispatcher tests: records what it was sent and answers from a script, one result per alert.
import type { EcsAlert } from '@keywatch/alerts';
import type { DeliveryResult, Destination, DestinationKind } from '@keywatch/destinations';

export class ScriptedDestination implements Destination {
  readonly name: string;
  readonly kind: DestinationKind;
  readonly sent: string[] = [];
  readonly digests: string[][] = [];
  readonly #script: DeliveryResult[] = [];
  readonly sendDigest?: (alerts: EcsAlert[]) => Promise<DeliveryResult>;

  constructor(name: string, kind: DestinationKind = 'file', options: { digest?: boolean } = {}) {
    this.name = name;
    this.kind = kind;
    if (options.digest) {
      this.sendDigest = async (alerts) => {
        this.digests.push(alerts.map((a) => a.keywatch.alert.id));
        return this.#script.shift() ?? { status: 'delivered' };
      };
    }
  }

  /** Results for the next alerts, in order; after the script runs out every alert is delivered. */
  answer(...results: DeliveryResult[]): this {
    this.#script.push(...results);
    return this;
  }

  async send(alerts: EcsAlert[]): Promise<DeliveryResult[]> {
    return alerts.map((alert) => {
      this.sent.push(alert.keywatch.alert.id);
      return this.#script.shift() ?? { status: 'delivered' };
    });
  }

  async close(): Promise<void> {}
}
