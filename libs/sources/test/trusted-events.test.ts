import { existsSync } from 'node:fs';
import { validateCanonicalEvent } from '@keywatch/event';
import { describe, expect, it } from 'vitest';
import { corpusDocuments, corpusFiles } from '../../../test/corpora.ts';
import { normalizeRecord } from '../src/index.ts';

/**
 * finishEvent no longer validates what the adapters build (docs/benchmarks.md): this holds every event they
 * build from the corpora (Panther's fixtures, the real-world trails, read in place) to the canonical contract,
 * and to exactly the shape validation returns.
 */
const CORPORA = new URL('../../../../shared/corpora/', import.meta.url);
const present = existsSync(CORPORA);
if (!present) console.log('trusted events: ../shared/corpora not found, skipping');

describe.skipIf(!present)('events built by the adapters', () => {
  it('meet the canonical contract and have the shape validation gives', () => {
    const sources = new Set<string>();
    let events = 0;
    for (const doc of corpusFiles(CORPORA).flatMap(corpusDocuments)) {
      for (const event of normalizeRecord(doc, { format: 'auto' }).events) {
        events++;
        sources.add(event.source);
        const checked = validateCanonicalEvent(event);
        expect(checked.ok ? [] : checked.errors, event.id).toEqual([]);
        if (checked.ok) expect(JSON.stringify(event), event.id).toBe(JSON.stringify(checked.event));
      }
    }
    expect(events).toBeGreaterThan(3000);
    expect([...sources].sort()).toEqual(expect.arrayContaining(['cloudtrail', 'gcp-audit', 'github-audit']));
  });
});
