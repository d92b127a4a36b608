import { existsSync } from 'node:fs';
import type { FoundSecret } from '@keywatch/event';
import { findAndRedact } from '@keywatch/secrets';
import { describe, expect, it } from 'vitest';
import { corpusDocuments, corpusFiles } from '../../../test/corpora.ts';
import { normalizeRecord } from '../src/index.ts';

/**
 * The real trails in ../shared/corpora/realworld (third-party CloudTrail and GitHub audit logs, read
 * in place) hold no leaked secret: only the STS session tokens CloudTrail logs on every AssumeRole /
 * GetFederationToken. Before the generic rule and the known non-secrets, 58 of 59 `secret_in_logs`
 * alerts there were false (idempotency tokens, STS session tokens).
 */
const ROOT = new URL('../../../../shared/corpora/realworld/', import.meta.url);
const present = existsSync(ROOT);
if (!present) console.log('realworld corpora: ../shared/corpora/realworld not found, skipping');

describe.skipIf(!present)('real-world trails: no false secret alerts', () => {
  it('finds only the STS session tokens, redacted without an alert, and no other secret', () => {
    const alerting: FoundSecret[] = [];
    const routine: FoundSecret[] = [];
    let events = 0;
    for (const file of corpusFiles(ROOT)) {
      for (const doc of corpusDocuments(file)) {
        const { events: out } = normalizeRecord(doc, { format: 'auto' });
        events += out.length;
        for (const e of out) {
          for (const s of e.secrets) (s.alert === false ? routine : alerting).push(s);
          if (e.action.startsWith('sts:') && e.secrets.length > 0) {
            expect(JSON.stringify(e)).not.toMatch(/"sessionToken":"(?!\[REDACTED)/);
          }
        }
      }
    }
    expect(events).toBeGreaterThan(3000);
    expect(alerting).toEqual([]);
    expect(routine.length).toBeGreaterThanOrEqual(19); // 10 Invictus AssumeRole + 9 Stratus STS calls
    expect(new Set(routine.map((s) => s.kind))).toEqual(new Set(['aws_session_token']));
  });

  it('finds nothing but session tokens in the raw records either, including those dead-lettered', () => {
    const kinds = new Map<string, number>();
    for (const file of corpusFiles(ROOT)) {
      for (const doc of corpusDocuments(file)) {
        for (const s of findAndRedact(doc).secrets) {
          const where = `${s.kind} ${s.path.replace(/^.*responseElements/, 'responseElements').replace(/\[\d+\]/g, '[]')}`;
          kinds.set(where, (kinds.get(where) ?? 0) + 1);
        }
      }
    }
    expect([...kinds.keys()]).toEqual(['aws_session_token responseElements.credentials.sessionToken']);
  });
});
