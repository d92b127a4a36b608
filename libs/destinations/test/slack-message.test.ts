import { describe, expect, it } from 'vitest';
import { sampleAlert, sampleAlerts } from '../../../test/fakes/sample-alert.ts';
import { pagerDutyTrigger, SLACK_LIMITS, slackAlertMessage, slackDigestMessage } from '../src/index.ts';

describe('slackAlertMessage', () => {
  const message = slackAlertMessage(sampleAlert({ id: 'kw-abc', severity: 'critical', rule: 'write_on_read_only' }));
  const json = JSON.stringify(message);

  it('names severity, rule and key in the header', () => {
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'CRITICAL · write_on_read_only · AKIAEXAMPLEKEY000001' },
    });
  });

  it('carries owner, evidence, the broken baseline and the alert id', () => {
    for (const expected of [
      '*Owner*\\nreport-bot',
      '*Source IP*\\n203.0.113.7',
      '*Country*\\nNL',
      'AS64500 Example Transit',
      's3:DeleteBucket (failure)',
      '*Count*\\n1',
    ]) {
      expect(json).toContain(expected);
    }
    expect(json).toContain('*Baseline broken*\\ncountries seen in 21 days of history: DE');
    expect(json).toContain('alert id kw-abc');
  });

  it('escapes attacker-controlled text so it cannot mention channels or inject links', () => {
    const evil = slackAlertMessage(sampleAlert({ message: 'called from <!channel> & <https://evil.example|click>' }));
    const text = JSON.stringify(evil.blocks);
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
  });

  it('cuts long values to Slack limits', () => {
    const long = slackAlertMessage(sampleAlert({ message: 'm'.repeat(5000), keyId: 'k'.repeat(400) }));
    const header = long.blocks[0] as { text: { text: string } };
    const section = long.blocks[1] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    expect(section.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(long.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  });
});

describe('link to the key report', () => {
  it('links the key page when the alert has one (keywatch run --report-url), and only then', () => {
    const alert = sampleAlert();
    const linked = { ...alert, event: { ...alert.event, reference: 'https://kw.example/r/keys/AKIAEXAMPLEKEY000001.html' } };
    expect(JSON.stringify(slackAlertMessage(linked).blocks)).toContain(
      '<https://kw.example/r/keys/AKIAEXAMPLEKEY000001.html|what this key normally does>',
    );
    expect(JSON.stringify(slackAlertMessage(alert).blocks)).not.toContain('what this key normally does');
    const odd = { ...alert, event: { ...alert.event, reference: 'https://kw.example/r|x>' } };
    expect(JSON.stringify(slackAlertMessage(odd).blocks)).toContain('<https://kw.example/r%7Cx%3E|');
  });

  it('gives PagerDuty the same link', () => {
    const alert = sampleAlert();
    const reference = 'https://kw.example/r/keys/AKIAEXAMPLEKEY000001.html';
    expect(pagerDutyTrigger({ ...alert, event: { ...alert.event, reference } }, 'rk').links).toEqual([
      { href: reference, text: 'keywatch: what this key normally does' },
    ]);
    expect(pagerDutyTrigger(alert, 'rk').links).toBeUndefined();
  });
});

describe('slackDigestMessage', () => {
  it('counts alerts per detector and lists as many as fit, then says how many more', () => {
    const alerts = [...sampleAlerts(40, 'a', { rule: 'new_ip' }), ...sampleAlerts(20, 'b', { rule: 'off_hours' })];
    const digest = slackDigestMessage(alerts);
    expect(digest.text).toBe('keywatch digest: 60 low-severity alerts: new_ip ×40, off_hours ×20');
    const list = (digest.blocks[2] as { text: { text: string } }).text.text;
    expect(list.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    const listed = list.split('\n').filter((line) => line.startsWith('•')).length;
    expect(list).toContain(`…and ${60 - listed} more`);
  });
});
