import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@keywatch/config';
import { describe, expect, it, vi } from 'vitest';
import { checkDeliveryConfig, kafkaConnection, loadWorkerConfig, main, parseWorkerConfig, topicSpecs } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'kw-worker-config-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('worker config', () => {
  it('fills defaults around the brokers', () => {
    const config = parseWorkerConfig({ kafka: { brokers: ['b:9092'] } }, 'test');
    expect(config.topics).toMatchObject({ events: 'keywatch.events', state: 'keywatch.state', partitions: 6, create: true });
    expect(config.groups).toEqual({
      normalizeDetect: 'keywatch-normalize-detect',
      normalize: 'keywatch-normalize',
      detect: 'keywatch-detect',
      dispatch: 'keywatch-dispatch',
    });
    expect(config.http.port).toBe(9464);
  });

  it('takes operator geo data paths, re-read every minute by default', () => {
    const config = parseWorkerConfig({ kafka: { brokers: ['b:9092'] }, geo: { geoDb: '/geo/City.mmdb' } }, 'test');
    expect(config.geo).toEqual({ geoDb: '/geo/City.mmdb', reloadIntervalMs: 60_000 });
    expect(() => parseWorkerConfig({ kafka: { brokers: ['b:9092'] }, geo: { cityDb: '/x' } }, 'kw.yaml')).toThrow(ConfigError);
  });

  it('rejects unknown keys and bad values, naming each field', () => {
    let error: unknown;
    try {
      parseWorkerConfig(
        {
          kafka: { brokers: [], sasl: { mechanism: 'md5', username: 'u', password: 'hunter2' } },
          topics: { partitons: 3 },
          sources: [{ topic: 't' }],
        },
        'kw.yaml',
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('kafka.brokers');
    expect(problems).toContain('kafka.sasl.mechanism');
    expect(problems).toContain('kafka.sasl.password');
    expect(problems).toContain('topics: Unrecognized key: "partitons"');
    expect(problems).toContain('sources[0].format');
    // A literal password is refused, and never echoed back.
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('takes the fetch wait (minBytes, maxWaitTimeMs) within the fetch cap and the session timeout', () => {
    const config = parseWorkerConfig({ kafka: { brokers: ['b:9092'] } }, 'test');
    expect(config.kafka).toMatchObject({ minBytes: 65_536, maxWaitTimeMs: 200, maxBytes: 10_485_760 });
    const tuned = parseWorkerConfig({ kafka: { brokers: ['b:9092'], minBytes: 1, maxWaitTimeMs: 500 } }, 'test');
    expect(tuned.kafka).toMatchObject({ minBytes: 1, maxWaitTimeMs: 500 });
    let error: unknown;
    try {
      parseWorkerConfig(
        { kafka: { brokers: ['b:9092'], maxBytes: 1024, minBytes: 2048, sessionTimeoutMs: 10_000, maxWaitTimeMs: 10_000 } },
        'kw.yaml',
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('kafka.minBytes: must be at most kafka.maxBytes (1024)');
    expect(problems).toContain('kafka.maxWaitTimeMs: must be below kafka.sessionTimeoutMs (10000)');
    expect(() => parseWorkerConfig({ kafka: { brokers: ['b:9092'], minBytes: 0 } }, 'kw.yaml')).toThrow(/kafka\.minBytes/);
  });

  it('overlays KEYWATCH_ environment variables on the file', () => {
    const path = write('env.yaml', 'kafka:\n  brokers: [a:9092]\ntopics:\n  partitions: 3\n');
    const config = loadWorkerConfig(path, {
      KEYWATCH_KAFKA__BROKERS: 'x:9093,y:9093',
      KEYWATCH_KAFKA__INSTANCE_ID: 'keywatch-detect-0',
      KEYWATCH_GROUPS__DETECT: 'kw-detect-blue',
      KEYWATCH_TOPICS__PARTITIONS: '12',
    });
    expect(config.kafka.brokers).toEqual(['x:9093', 'y:9093']);
    expect(config.kafka.instanceId).toBe('keywatch-detect-0');
    expect(config.groups.detect).toBe('kw-detect-blue');
    expect(config.topics.partitions).toBe(12);
  });

  it('reads TLS files and the SASL password reference without exposing the password', () => {
    const ca = write('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const config = parseWorkerConfig(
      {
        kafka: {
          brokers: ['b:9093'],
          tls: { caFile: ca },
          sasl: { mechanism: 'scram-sha-512', username: 'keywatch', password: 'env:KW_TEST_KAFKA_PASSWORD' },
        },
      },
      'test',
    );
    const connection = kafkaConnection(config, { KW_TEST_KAFKA_PASSWORD: 's3cr3t-sasl' });
    expect(connection.tls).toMatchObject({ rejectUnauthorized: true, ca: expect.stringContaining('BEGIN CERTIFICATE') });
    expect(connection.sasl?.password.reveal()).toBe('s3cr3t-sasl');
    expect(JSON.stringify(connection)).not.toContain('s3cr3t-sasl');
    expect(() => kafkaConnection(config, {})).toThrow('KW_TEST_KAFKA_PASSWORD is not set');
    const missing = parseWorkerConfig({ kafka: { brokers: ['b:9093'], tls: { caFile: join(dir, 'nope.pem') } } }, 'test');
    expect(() => kafkaConnection(missing, {})).toThrow('kafka.tls.caFile');
  });

  it('gives the state topic compaction and the events topic partition count', () => {
    const config = parseWorkerConfig({ kafka: { brokers: ['b:9092'] }, topics: { partitions: 12 } }, 'test');
    const specs = topicSpecs(config, 'detect');
    expect(specs.map((s) => s.topic)).toEqual(['keywatch.events', 'keywatch.alerts', 'keywatch.state', 'keywatch.dlq']);
    expect(specs.every((s) => s.partitions === 12)).toBe(true);
    expect(specs.find((s) => s.topic === 'keywatch.state')?.config).toMatchObject({ 'cleanup.policy': 'compact' });
  });

  it('accepts the example configuration', () => {
    const config = loadWorkerConfig(join(import.meta.dirname, '../../../deploy/keywatch.example.yaml'), {
      KEYWATCH_KAFKA_PASSWORD: 'x',
    });
    expect(config.sources.length).toBeGreaterThan(0);
    expect(config.kafka.sasl?.mechanism).toBe('scram-sha-512');
  });

  it('checks the delivery sections with the delivery schema, naming each bad field', async () => {
    const config = parseWorkerConfig(
      {
        kafka: { brokers: ['b:9092'] },
        destinations: {
          oncall: { kind: 'pagerduty', routingKey: 'env:PD', links: [{ href: 'https://kibana.example.com/{alertid}' }] },
          siem: { kind: 'elasticsearch', url: 'http://es:9200', namspace: 'prod' },
        },
        routes: [{ to: ['pager'] }],
      },
      'kw.yaml',
    );
    const error = await checkDeliveryConfig(config, 'kw.yaml').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^destinations\.oncall\.links\[0\]\.href: unknown placeholder \{alertid\}/),
        expect.stringMatching(/^destinations\.siem: Unrecognized key: "namspace"/),
      ]),
    );
    const valid = parseWorkerConfig(
      { kafka: { brokers: ['b:9092'] }, destinations: { archive: { kind: 'file', path: '/x' } }, routes: [{ to: ['pager'] }] },
      'kw.yaml',
    );
    await expect(checkDeliveryConfig(valid, 'kw.yaml')).rejects.toThrow('routes[0].to[0]: unknown destination "pager"');
  });

  it('makes a dispatch worker with a bad destination exit 2 at load, before any broker is contacted', async () => {
    const path = write(
      'bad-delivery.yaml',
      'kafka:\n  brokers: [127.0.0.1:1]\ndestinations:\n  siem:\n    kind: elasticsearch\n    url: http://elastic:changeme@es:9200\n',
    );
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['--role', 'dispatch', '--config', path], {})).toBe(2);
      const text = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toContain(`${path}: invalid configuration`);
      expect(text).toContain('destinations.siem.url: must not contain credentials');
      expect(text).not.toContain('changeme');
    } finally {
      stderr.mockRestore();
    }
  });

  it('says in --help what normalize-detect needs of the raw topic', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['--help'], {})).toBe(0);
      const text = stdout.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toContain('normalize-detect');
      expect(text).toContain('must be keyed by credential, or have one partition');
    } finally {
      stdout.mockRestore();
    }
  });
});
