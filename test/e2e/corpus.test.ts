import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPORA, keywatch, tempDir } from './cli.ts';

// Every record of the Panther corpus (real-world shapes, many odd) goes through `keywatch run` without a
// crash: normalized, or dead-lettered with a reason. The exact per-adapter counts are pinned in
// libs/sources/test/panther.test.ts; here the whole CLI path is exercised.
const FILES = [
  ['aws_cloudtrail.ndjson', 'cloudtrail', 445],
  ['gcp_audit.ndjson', 'gcp-audit', 196],
  ['github_audit.ndjson', 'github-audit', 98],
] as const;

const PANTHER = join(CORPORA, 'panther');
const present = existsSync(PANTHER);
if (!present)
  console.log(
    "Panther corpus through keywatch run: skipped, ../shared/corpora/panther (Panther's public rule-test fixtures, Apache-2.0) is not next to this clone; development and CI checkouts have it, see README.md, Development",
  );

describe.skipIf(!present)('Panther corpus through keywatch run', () => {
  for (const [file, format, records] of FILES) {
    it(`${file}: every record normalized or dead-lettered with a reason`, () => {
      const dir = tempDir();
      const r = keywatch(
        [
          'run',
          '-i',
          join(PANTHER, file),
          '--format',
          format,
          '--quiet',
          '--dead-letter',
          'dead.ndjson',
          '--stats-json',
          's.json',
        ],
        { cwd: dir },
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.status).toBe(0);
      const stats = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
      expect(stats.recordsRead).toBe(records);
      expect(stats.eventsNormalized).toBeGreaterThan(0);
      const dead = readFileSync(join(dir, 'dead.ndjson'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      expect(dead).toHaveLength(stats.deadLettered.total);
      for (const d of dead) {
        expect(d.reason).toMatch(/^[a-z_]+$/);
        expect(d.message.length).toBeGreaterThan(0);
        expect(d.line).toBeGreaterThan(0);
      }
    });
  }
});
