import { describe, expect, it } from 'vitest';
import { createDestinations, DESTINATION_MODULES, type DestinationKind, destinationsConfigSchema } from '../src/index.ts';

// A minimal valid section per kind; a new module without one here fails the first test.
const SECTIONS: Record<DestinationKind, Record<string, unknown>> = {
  elasticsearch: { kind: 'elasticsearch', url: 'http://127.0.0.1:9200' },
  slack: { kind: 'slack', webhookUrl: 'env:SLACK_URL' },
  pagerduty: { kind: 'pagerduty', routingKey: 'env:PD_KEY' },
  webhook: { kind: 'webhook', url: 'env:HOOK_URL', signingSecret: 'env:HOOK_SECRET' },
  file: { kind: 'file', path: '/tmp/keywatch-registry-test.ndjson' },
  stdout: { kind: 'stdout' },
};
const ENV = {
  SLACK_URL: 'https://hooks.slack.com/services/T0/B0/X',
  PD_KEY: '0123456789abcdef0123456789abcdef',
  HOOK_URL: 'https://soar.example.com/hook',
  HOOK_SECRET: 'whsec_c2VjcmV0',
};

describe('destination registry', () => {
  it('builds every kind from its section, with the capabilities its module declares', async () => {
    const config = destinationsConfigSchema.parse(
      Object.fromEntries(DESTINATION_MODULES.map((m) => [`d-${m.kind}`, SECTIONS[m.kind]])),
    );
    const destinations = createDestinations(config, ENV);
    expect(destinations.map((d) => d.kind)).toEqual(DESTINATION_MODULES.map((m) => m.kind));
    for (const [i, module] of DESTINATION_MODULES.entries()) {
      const destination = destinations[i]!;
      expect(destination.name).toBe(`d-${module.kind}`);
      expect({
        digest: typeof destination.sendDigest === 'function',
        resolve: typeof destination.resolve === 'function',
        startup: typeof destination.prepare === 'function',
      }).toEqual(module.capabilities);
    }
    await Promise.all(destinations.map((d) => d.close()));
  });

  it('has one module per kind, and the config union accepts exactly those kinds', () => {
    const kinds = DESTINATION_MODULES.map((m) => m.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    const result = destinationsConfigSchema.safeParse({ x: { kind: 'splunk' } });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('kind');
  });
});
