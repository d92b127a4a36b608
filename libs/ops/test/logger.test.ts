import { Writable } from 'node:stream';
import { Secret } from '@keywatch/config';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ name: 'test', destination }) };
}

describe('createLogger', () => {
  it('writes JSON lines with level label, name and message', () => {
    const { lines, logger } = capture();
    logger.info({ partition: 3 }, 'batch committed');
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'info', name: 'test', partition: 3, msg: 'batch committed' });
  });

  it('never prints a Secret value', () => {
    const { lines, logger } = capture();
    logger.info({ destination: { url: new Secret('https://hooks.slack.com/services/T0/B0/abcdefSECRET', 'env X') } }, 'sending');
    expect(lines.join('')).not.toContain('abcdefSECRET');
    expect(lines.join('')).toContain('[secret]');
  });

  it('censors a SASL password in a logged config, whether a Secret or a plain string', () => {
    const { lines, logger } = capture();
    const config = {
      kafka: {
        brokers: ['b1:9093'],
        sasl: { mechanism: 'scram-sha-512', username: 'keywatch', password: 'hunter2-plain-password' },
      },
      destinations: { pagerduty: { routingKey: 'R0UT1NGKEYVALUE' } },
    };
    logger.info({ config }, 'starting');
    logger.info({ kafka: { sasl: { password: new Secret('another-sasl-password', 'file /run/pw') } } }, 'connecting');
    const text = lines.join('');
    expect(text).not.toContain('hunter2-plain-password');
    expect(text).not.toContain('R0UT1NGKEYVALUE');
    expect(text).not.toContain('another-sasl-password');
    expect(text).toContain('keywatch');
    expect(JSON.parse(lines[0]!).config.kafka.sasl.password).toBe('[redacted]');
  });
});
