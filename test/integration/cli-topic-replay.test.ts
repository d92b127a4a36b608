// `keywatch replay --topic` reads provider records from a real Kafka topic, from an offset or a time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka, type KafkaRuntime } from '@keywatch/kafka';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keywatchAsync, tempDir } from '../e2e/cli.ts';
import { cloudTrailRecord, normalWeek } from '../e2e/trail.ts';

const brokers = inject('kafkaBrokers');
let runtime: KafkaRuntime;

beforeAll(() => {
  runtime = createKafka({ brokers: brokers.split(','), clientId: 'keywatch-it-cli-replay' });
});
afterAll(async () => {
  await runtime?.close();
});

describe('keywatch replay --topic', () => {
  it('learns from the topic, then a live run on the same state alerts on day one', async () => {
    const topic = `it-cli-replay-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
    await runtime.ensureTopics([{ topic, partitions: 2 }]);
    const history = normalWeek(5);
    await runtime.produce(history.map((r) => ({ topic, key: 'AKIAEXAMPLEKEY000001', value: JSON.stringify(r) })));
    const dir = tempDir();
    const replay = await keywatchAsync(
      [
        'replay',
        '--topic',
        topic,
        '--brokers',
        brokers,
        '--from-offset',
        '0',
        '--learn-only',
        '--state',
        'state.db',
        '--stats-json',
        's.json',
      ],
      { cwd: dir },
    );
    expect(replay.stderr).not.toMatch(/\n\s+at /);
    expect(replay.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'))).toMatchObject({
      recordsRead: history.length,
      alerts: { total: 0 },
    });

    const attack = cloudTrailRecord({ time: '2026-03-09T10:00:00Z', ip: '188.166.1.2', id: 'attack-topic-1' });
    const since = Date.now();
    await runtime.produce([{ topic, key: 'AKIAEXAMPLEKEY000001', value: JSON.stringify(attack) }]);
    const live = await keywatchAsync(
      [
        'run',
        '--topic',
        topic,
        '--brokers',
        brokers,
        '--from-timestamp',
        new Date(since - 1000).toISOString(),
        '--state',
        'state.db',
      ],
      { cwd: dir },
    );
    expect(live.status).toBe(0);
    const alerts = readFileSync(join(dir, 'keywatch-alerts.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(alerts.map((a) => [a.rule.id, a.keywatch.evidence.event_ids[0]])).toEqual([['new_country', 'attack-topic-1']]);
  });
});
