// Plants Slack mentions, Slack links, bare URLs, ANSI escapes, bidi overrides and HTML in every field a caller
// controls (user agent, action, resource, gateway path, principal), builds the alert the way detection does, and
// checks every destination's payload and the terminal and HTML renderings.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { buildAlert, type EcsAlert, escapeHtml, renderAlert, renderUpdate } from '@keywatch/alerts';
import { Secret } from '@keywatch/config';
import type { DetectInput, GroupedFinding } from '@keywatch/detect';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakePagerDuty } from '../../../test/fakes/pagerduty-fake.ts';
import { startFakeSlack } from '../../../test/fakes/slack-fake.ts';
import { startFakeWebhook } from '../../../test/fakes/webhook-fake.ts';
import { FileDestination, PagerDutyDestination, SlackDestination, StdoutDestination, WebhookDestination } from '../src/index.ts';

const ATTACKS = [
  '<!channel>',
  '<!here|here>',
  '<@U024BE7LH>',
  '<https://evil.example/login|Click here>',
  'https://evil.example/bare',
  '\x1b[2J\x1b[31mFAKE\x1b[0m',
  '\x1b]8;;https://evil.example\x07link\x1b]8;;\x07',
  '\u202eevil\u202c',
  '<script>alert(1)</script><img src=x onerror=alert(1)>',
  'line\r\nHIGH 99 forged alert',
];
const PLANTED = ATTACKS.join(' ');

/** A finding as a detector words it: the reason quotes the action, path and client, the evidence carries them. */
function plantedAlert(count = 1): EcsAlert {
  const input = {
    event: {
      id: 'evt-1',
      time: '2026-03-04T02:17:09.000Z',
      provider: 'kong',
      source: 'gateway',
      credentialId: 'key-1',
      principal: `consumer ${PLANTED}`,
      account: null,
      sourceIp: '203.0.113.7',
      sourceAddress: null,
      userAgent: `curl/8 ${PLANTED}`,
      action: `GET /v1/${PLANTED}`,
      resource: `/v1/${PLANTED}`,
      accessClass: 'read',
      outcome: 'success',
      errorCode: null,
      region: null,
      secrets: [],
    },
    key: { owner: 'payments', scope: null, declared: false, tags: [], timezone: 'UTC', businessHours: null },
    geo: { country: 'NL', region: null, city: null, latitude: null, longitude: null, asn: 64500, asOrg: `Org ${PLANTED}` },
    time: { localHour: 2, localWeekday: 3, businessHours: false },
  } as unknown as DetectInput;
  const finding = {
    detector: 'new_user_agent',
    score: 70,
    reason: `called GET /v1/${PLANTED} with a client it has never used (curl/8 ${PLANTED})`,
    baseline: `clients seen: aws-cli ${PLANTED}`,
    groupValue: 'ua',
    evidence: { user_agent: `curl/8 ${PLANTED}`, path: `/v1/${PLANTED}`, resource: `/v1/${PLANTED}` },
    alertId: 'kw-planted',
    opened: count === 1,
    count,
  } as unknown as GroupedFinding;
  return buildAlert(input, finding, 80);
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Every string inside a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(strings);
}

function expectNoControl(text: string): void {
  expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
}

describe('attacker-controlled text stays text', () => {
  it('reaches the alert unchanged (the data is kept; each medium escapes it)', () => {
    const alert = plantedAlert();
    expect(alert.user_agent?.original).toContain('<!channel>');
    expect(alert.message).toContain('\x1b[2J');
  });

  it('Slack: no mention, link or markup survives, nothing is auto-linked, in alerts, updates and digests', async () => {
    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    const destination = new SlackDestination({
      name: 'slack',
      webhookUrl: new Secret(slack.webhookUrl, 'test'),
      timeoutMs: 2000,
    });
    expect(await destination.send([plantedAlert(), plantedAlert(5)])).toEqual([{ status: 'delivered' }, { status: 'delivered' }]);
    expect(await destination.sendDigest([plantedAlert(), plantedAlert(3)])).toEqual({ status: 'delivered' });
    const payloads = slack.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(payloads).toHaveLength(3);
    for (const payload of payloads) {
      expect(payload).toMatchObject({ parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false });
      const texts = strings(payload);
      expect(texts.join('\n')).toContain('&lt;!channel&gt;'); // the planted text is shown, as text
      for (const text of texts) {
        expect(text).not.toMatch(/<[!@#]|<https?:/);
        expect(text).not.toContain('<script');
        expectNoControl(text.replace(/\n/g, ''));
      }
      // Every mrkdwn object is verbatim: bare URLs and channel names are not auto-linked.
      const objects = JSON.stringify(payload).match(/\{"type":"mrkdwn"[^{}]*\}/g) ?? [];
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) expect(JSON.parse(object)).toMatchObject({ verbatim: true });
    }
  });

  it('PagerDuty: summary, source, component and group are plain text', async () => {
    const pagerduty = await startFakePagerDuty();
    cleanups.push(() => pagerduty.close());
    const destination = new PagerDutyDestination({
      name: 'pd',
      routingKey: new Secret('0123456789abcdef0123456789abcdef', 'test'),
      url: pagerduty.enqueueUrl,
      timeoutMs: 2000,
      throttleWaitMs: 0,
    });
    await destination.send([plantedAlert(), plantedAlert(4)]);
    const events = pagerduty.events();
    expect(events).toHaveLength(2);
    expect(events[1]?.dedup_key).toBe(events[0]?.dedup_key);
    expect(events[1]?.payload.summary.startsWith('(4 findings) ')).toBe(true);
    for (const event of events) {
      for (const field of ['summary', 'source', 'component', 'group', 'class'] as const) {
        expectNoControl(String(event.payload[field]));
      }
      expect(event.payload.summary).toContain('<!channel>'); // PagerDuty shows text as text: kept, not mangled
    }
  });

  it('terminal: no escape sequence or control character from the record reaches it', () => {
    for (const [text, paints] of [
      [renderAlert(plantedAlert(), false), 0],
      [renderUpdate(plantedAlert(3), false), 0],
      [renderAlert(plantedAlert(), true), 3], // severity, rule, footer: each ESC[…m … ESC[0m
      [renderUpdate(plantedAlert(3), true), 1],
    ] as const) {
      expect(text.match(/\x1b/g) ?? []).toHaveLength(paints * 2);
      expect(text).not.toContain('\u202e');
      if (!text.includes('↳')) expect(text).toContain('<!channel>'); // shown as typed: a terminal does not interpret it
      expect(text.split('\n')).toHaveLength(text.includes('↳') ? 1 : 3); // no forged lines
    }
  });

  it('HTML: escapeHtml leaves no tag, attribute break or control character', () => {
    for (const value of strings(plantedAlert())) {
      const html = escapeHtml(value);
      expect(html).not.toMatch(/[<>"']/);
      expectNoControl(html);
    }
  });

  it('files, stdout and webhooks carry the alert as JSON data, byte for byte', async () => {
    const alert = plantedAlert();
    const path = join(mkdtempSync(join(tmpdir(), 'kw-untrusted-')), 'alerts.ndjson');
    await new FileDestination({ name: 'file', path }).send([alert]);
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    await new StdoutDestination({ name: 'stdout', stream }).send([alert]);
    const hook = await startFakeWebhook('whsec_c2VjcmV0');
    cleanups.push(() => hook.close());
    await new WebhookDestination({
      name: 'hook',
      url: new Secret(hook.hookUrl, 'test'),
      signingSecret: new Secret('whsec_c2VjcmV0', 'test'),
      timeoutMs: 2000,
    }).send([alert]);
    for (const line of [readFileSync(path, 'utf8'), chunks.join(''), hook.requests[0]!.body]) {
      expect(line).not.toContain('\x1b'); // JSON escapes control characters…
      expect(line.trim().split('\n')).toHaveLength(1); // …and newlines, so one alert stays one line
      expect(JSON.parse(line)).toEqual(alert); // …and nothing is lost
    }
  });
});
