// `keywatch explain --topic` reads a key's profile from a detect worker's changelog topic (and its alerts
// from the alerts topic) on a real Kafka broker.
import { emptyProfile, encodeProfile } from '@keywatch/detect';
import { createKafka, type KafkaRuntime } from '@keywatch/kafka';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keywatchAsync, tempDir } from '../e2e/cli.ts';
import { sampleAlert } from '../fakes/sample-alert.ts';

const brokers = inject('kafkaBrokers');
const KEY = 'AKIAEXAMPLEKEY000001';
let runtime: KafkaRuntime;

beforeAll(() => {
  runtime = createKafka({ brokers: brokers.split(','), clientId: 'keywatch-it-cli-explain' });
});
afterAll(async () => {
  await runtime?.close();
});

const bytes = (p: ReturnType<typeof emptyProfile>) => Buffer.from(encodeProfile(p));

describe('keywatch explain --topic', () => {
  it('states the latest changelog profile of the key and its alerts, and says when a key is unknown', async () => {
    const suffix = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
    const state = `it-explain-state-${suffix}`;
    const alerts = `it-explain-alerts-${suffix}`;
    await runtime.ensureTopics([
      { topic: state, partitions: 2 },
      { topic: alerts, partitions: 2 },
    ]);
    const t0 = Date.parse('2026-03-02T00:00:00Z') / 1000;
    const de = ('D'.charCodeAt(0) << 8) | 'E'.charCodeAt(0);
    const older = { ...emptyProfile(t0), events: 10, lastSeen: t0 + 3600 };
    const latest = {
      ...emptyProfile(t0),
      events: 420,
      lastSeen: t0 + 5 * 86400,
      countries: [{ h: de, n: 420, last: t0 + 5 * 86400 }],
    };
    await runtime.produce([
      { topic: state, key: KEY, value: bytes(older), partition: 1 },
      { topic: state, key: 'AKIAOTHERKEY00000001', value: bytes(older), partition: 0 },
      { topic: state, key: KEY, value: bytes(latest), partition: 1 },
      { topic: alerts, key: KEY, value: JSON.stringify(sampleAlert({ id: 'kw-topic-alert', keyId: KEY })) },
    ]);
    const dir = tempDir();
    const r = await keywatchAsync(['explain', KEY, '--topic', state, '--alerts-topic', alerts, '--brokers', brokers, '--json'], {
      cwd: dir,
    });
    expect(r.stderr).not.toMatch(/keywatch:|\n\s+at /);
    expect(r.status).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.baseline).toMatchObject({ calls: 420, countries: [{ value: 'DE', calls: 420, share: 1 }] });
    expect(e.recentAlerts.map((a: { id: string }) => a.id)).toEqual(['kw-topic-alert']);

    const unknown = await keywatchAsync(['explain', 'AKIANOSUCHKEY', '--topic', state, '--brokers', brokers], { cwd: dir });
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toContain(`changelog topic ${state} has no profile`);
  }, 180_000);
});
