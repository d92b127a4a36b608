import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyEnv, ConfigError, readConfigFile, resolveSecret, secretRefSchema, validateConfig } from '../src/index.ts';

const schema = z
  .object({
    kafka: z.object({ brokers: z.array(z.string()).min(1), groupId: z.string().default('keywatch') }).strict(),
    destinations: z.object({ pagerduty: z.object({ routingKey: secretRefSchema }).strict().optional() }).strict(),
  })
  .strict();

describe('validateConfig', () => {
  it('names the path of every problem', () => {
    try {
      validateConfig(schema, { kafka: { brokers: [], extra: 1 }, destinations: { pagerduty: {} } }, 'kw.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^kafka\.brokers: /m);
      expect(problems).toMatch(/^kafka: Unrecognized key: "extra"/m);
      expect(problems).toMatch(/^destinations\.pagerduty\.routingKey: /m);
    }
  });

  it('refuses a literal secret', () => {
    const r = schema.safeParse({ kafka: { brokers: ['a:1'] }, destinations: { pagerduty: { routingKey: 'R0UT1NGKEY' } } });
    expect(r.success).toBe(false);
  });
});

describe('applyEnv', () => {
  it('overlays nested values, arrays from comma lists, camelCase names', () => {
    const out = applyEnv(
      { kafka: { brokers: ['x:1'] } },
      { KEYWATCH_KAFKA__BROKERS: 'a:9092, b:9092', KEYWATCH_KAFKA__GROUP_ID: 'g2', OTHER: '1' },
    );
    expect(out).toEqual({ kafka: { brokers: ['a:9092', 'b:9092'], groupId: 'g2' } });
  });
});

describe('secrets', () => {
  it('resolve from env and file and never print', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-secret-'));
    writeFileSync(join(dir, 'key'), 'file-secret-value\n');
    const fromFile = resolveSecret(secretRefSchema.parse(`file:${join(dir, 'key')}`));
    const fromEnv = resolveSecret(secretRefSchema.parse({ env: 'KW_TEST_SECRET' }), { KW_TEST_SECRET: 'env-secret-value' });
    expect(fromFile.reveal()).toBe('file-secret-value');
    expect(fromEnv.reveal()).toBe('env-secret-value');
    const printed = [String(fromEnv), `${fromEnv}`, JSON.stringify({ s: fromEnv }), inspect(fromEnv), inspect({ fromFile })].join(
      ' ',
    );
    expect(printed).not.toContain('secret-value');
  });

  it('errors name the variable, not a value', () => {
    expect(() => resolveSecret({ env: 'KW_MISSING' }, {})).toThrow('environment variable KW_MISSING is not set');
  });

  it('reads YAML config files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-cfg-'));
    writeFileSync(join(dir, 'kw.yaml'), 'kafka:\n  brokers: [127.0.0.1:9092]\n');
    expect(readConfigFile(join(dir, 'kw.yaml'))).toEqual({ kafka: { brokers: ['127.0.0.1:9092'] } });
  });
});
