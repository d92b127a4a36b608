import { existsSync } from 'node:fs';
import { generateDemo } from '@keywatch/demo';
import { findAndRedact, lineHoldsNoSecret } from '@keywatch/secrets';
import { describe, expect, it } from 'vitest';
import { fakeAwsAccessKeyId, fakeAwsSecretAccessKey, fakeGithubPat } from '../../libs/demo/src/fake-secrets.ts';
import { Rng } from '../../libs/demo/src/rng.ts';
import { cloudTrailDataset } from '../bench/dataset.ts';
import { corpusDocuments, corpusFiles } from '../corpora.ts';

/**
 * The raw-line pre-scan (`lineHoldsNoSecret`) lets normalize skip the secret walk: it must never clear a
 * line the walk finds or redacts anything in. Checked on every bench line, every record of the corpora,
 * every record of a few demo seeds, and demo records with the demo's fake secrets planted in them.
 * (Random lines with every prefix and secret word spliced in: libs/secrets/test/line-prescan.test.ts.)
 */

/** Lines cleared, and lines the walk finds something in; fails on a line that is both. */
function check(lines: Iterable<string>): { lines: number; cleared: number; found: number } {
  let count = 0;
  let cleared = 0;
  let found = 0;
  for (const line of lines) {
    count++;
    const parsed: unknown = JSON.parse(line);
    const { redacted, secrets } = findAndRedact(parsed);
    const finds = secrets.length > 0 || redacted !== parsed;
    const clear = lineHoldsNoSecret(line);
    if (finds) found++;
    if (clear) cleared++;
    if (finds && clear)
      expect.fail(
        `the pre-scan cleared a line the walk finds ${secrets.map((s) => s.kind).join(', ')} in: ${line.slice(0, 300)}`,
      );
  }
  console.log(`line pre-scan: ${count} lines, ${found} with a finding of the walk, ${cleared} cleared`);
  return { lines: count, cleared, found };
}

const CORPORA = new URL('../../../shared/corpora/', import.meta.url);
const corporaPresent = existsSync(CORPORA);
if (!corporaPresent) console.log('line pre-scan: ../shared/corpora not found, its records skipped');

/** Every record of the corpora as one line: NDJSON lines, documents, and each record of a `Records` array. */
function corpusLines(): string[] {
  return corpusFiles(CORPORA)
    .flatMap(corpusDocuments)
    .flatMap((doc) => {
      const records = (doc as { Records?: unknown }).Records;
      return [doc, ...(Array.isArray(records) ? records : [])].map((r) => JSON.stringify(r));
    });
}

describe('the raw-line pre-scan against the walk', () => {
  it('clears no bench line the walk finds something in, and nearly all others', () => {
    const result = check(cloudTrailDataset().lines);
    expect(result.cleared).toBeGreaterThan(0.99 * (result.lines - result.found));
  });

  it.skipIf(!corporaPresent)('clears no record of the corpora the walk finds something in', () => {
    const result = check(corpusLines());
    expect(result.lines).toBeGreaterThan(1500);
    expect(result.found).toBeGreaterThan(50);
    expect(result.cleared).toBeGreaterThan(100);
  });

  it('clears no record of demo seeds 1-3 the walk finds something in', () => {
    for (const seed of [1, 2, 3]) {
      const result = check(generateDemo({ seed, days: 14 }).records.map((r) => JSON.stringify(r)));
      expect(result.cleared).toBeGreaterThan(0.95 * result.lines);
    }
  });

  it("clears no demo record with the demo's fake secrets planted in it", () => {
    const rng = new Rng('line-prescan');
    const records = generateDemo({ seed: 4, days: 7 }).records.slice(0, 3000);
    const planted = records.map((r, i) => {
      const copy = structuredClone(r) as Record<string, unknown>;
      const secret = [fakeGithubPat, fakeAwsSecretAccessKey][i % 2]!(rng);
      const where = i % 4;
      if (where === 0) copy.requestParameters = { environmentVariables: [{ name: 'GITHUB_TOKEN', value: secret }] };
      else if (where === 1) copy.requestParameters = { tags: [{ Key: 'backup-auth', Value: secret }] };
      else if (where === 2) copy.userAgent = `${String(copy.userAgent)} ${fakeAwsAccessKeyId(rng)}:${secret}`;
      else copy.errorMessage = `request failed, token=${secret}`;
      return JSON.stringify(copy);
    });
    const result = check(planted);
    expect(result.found).toBeGreaterThan(0.99 * planted.length);
  });
});
