import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type FleetRow, indexPage, keyPagePath } from '@keywatch/report';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './browser.ts';
import { keywatch, ROOT, tempDir } from './cli.ts';

/** Screenshots of the pages under test (gitignored; CI keeps them as artefacts). */
const ARTIFACTS = join(ROOT, 'test', 'artifacts', 'report');

interface DemoKey {
  id: string;
  owner: string;
  timezone: string;
  businessHours?: { days: number[]; start: string; end: string };
}

/** Each test starts several node processes (or a browser): shared CI machines need the time. */
const SLOW = 240_000;
let dir = '';
let key: DemoKey;

/** Calls of `key` by key-local hour of week (Monday 00h = 0), counted straight from the demo's records. */
function expectedHeatMap(records: string, k: DemoKey): number[] {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: k.timezone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' });
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const cells = new Array<number>(168).fill(0);
  for (const line of records.split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line) as { userIdentity?: { accessKeyId?: string }; eventTime: string };
    if (r.userIdentity?.accessKeyId !== k.id) continue;
    const parts = Object.fromEntries(fmt.formatToParts(new Date(r.eventTime)).map((p) => [p.type, p.value]));
    cells[days.indexOf(parts.weekday!) * 24 + Number(parts.hour)]!++;
  }
  return cells;
}

beforeAll(() => {
  dir = tempDir();
  // A week of a small fleet: every weekday appears once, so each heat-map cell is one hour's calls.
  const demo = keywatch(['demo', '--keys', '12', '--days', '7', '--out-dir', 'd', '--quiet', '--no-alerts-out'], { cwd: dir });
  expect(demo.status, demo.stderr).toBe(0);
  const run = keywatch(
    ['run', '--input', 'd/cloudtrail.ndjson', '--keys', 'd/keys.json', '--state', 's.db', '--quiet', '--no-alerts-out'],
    { cwd: dir },
  );
  expect(run.status, run.stderr).toBe(0);
  const report = keywatch(['report', '--state', 's.db', '--out', 'r'], { cwd: dir });
  expect(report.status, report.stderr).toBe(0);
  const registry = JSON.parse(readFileSync(join(dir, 'd', 'keys.json'), 'utf8')) as { keys: DemoKey[] };
  // A key in a timezone far from UTC with declared business hours: the heat map must be in its own time.
  key = registry.keys.find((k) => k.businessHours && k.timezone !== 'UTC') ?? registry.keys[0]!;
}, 600_000);

describe('keywatch explain', () => {
  it(
    "prints a demo key's declaration and baseline",
    () => {
      const r = keywatch(['explain', key.id, '--state', 's.db'], { cwd: dir });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Key ${key.id} (declared in the key registry)`);
      expect(r.stdout).toContain(`owner: ${key.owner}`);
      expect(r.stdout).toContain(`timezone: ${key.timezone}`);
      expect(r.stdout).toMatch(/Baseline: [\d,]+ calls from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d/);
      expect(r.stdout).toMatch(/countries:\n {4}[A-Z]{2}: /);
    },
    SLOW,
  );

  it(
    'answers --json with the same baseline, and says plainly when a key is unknown',
    () => {
      const r = keywatch(['explain', key.id, '--state', 's.db', '--json'], { cwd: dir });
      const e = JSON.parse(r.stdout);
      expect(e.key).toBe(key.id);
      expect(e.declaration.timezone).toBe(key.timezone);
      const total = expectedHeatMap(readFileSync(join(dir, 'd', 'cloudtrail.ndjson'), 'utf8'), key).reduce((a, b) => a + b, 0);
      expect(e.baseline.calls).toBe(total);
      const unknown = keywatch(['explain', 'AKIANOSUCHKEY', '--state', 's.db'], { cwd: dir });
      expect(unknown.status).toBe(3);
      expect(unknown.stderr).toContain('key "AKIANOSUCHKEY" is unknown');
      expect(keywatch(['explain', key.id, '--state', 'missing.db'], { cwd: dir }).stderr).toContain('missing.db does not exist');
    },
    SLOW,
  );
});

describe('keywatch report', () => {
  it('writes the index and one page per key', () => {
    const pages = readdirSync(join(dir, 'r', 'keys'));
    expect(pages).toHaveLength(12);
    expect(pages).toContain(keyPagePath(key.id).slice('keys/'.length));
    expect(readFileSync(join(dir, 'r', 'index.html'), 'utf8')).toContain(key.id);
  });
});

describe.skipIf(!hasChromium())('the report in a real browser (Chromium)', () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => browser?.close());

  async function open(path: string): Promise<Page> {
    const page = await browser.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${path}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) errors.push(`${path}: requested ${r.url()}`);
    });
    await page.goto(pathToFileURL(join(dir, 'r', path)).href);
    return page;
  }

  it(
    'opens the index without console errors and search finds a key',
    async () => {
      const page = await open('index.html');
      await page.screenshot({ path: join(ARTIFACTS, 'index.png'), fullPage: true });
      const rows = page.locator('#keys-table tbody tr:visible');
      expect(await rows.count()).toBe(12);
      await page.fill('#q', key.id.slice(-8).toLowerCase());
      expect(await rows.count()).toBe(1);
      expect(await rows.first().locator('a').textContent()).toBe(key.id);
      expect(await page.locator('#status').textContent()).toBe('Showing 1–1 of 1 keys matching');
      await page.fill('#q', 'no-such-key-anywhere');
      expect(await rows.count()).toBe(0);
      await page.fill('#q', key.owner.toUpperCase());
      expect(await rows.count()).toBeGreaterThanOrEqual(1);
      await page.screenshot({ path: join(ARTIFACTS, 'index-search.png') });
      await page.fill('#q', key.id);
      await page.locator('#keys-table tbody tr:visible a').click();
      await page.waitForURL(/keys\/.*\.html$/);
      expect(await page.locator('h1').textContent()).toBe(key.id);
      expect(errors).toEqual([]);
    },
    SLOW,
  );

  it(
    'pages and searches an index of 10,000 keys in the browser',
    async () => {
      const rows: FleetRow[] = Array.from({ length: 10_000 }, (_, i) => ({
        id: `AKIAFLEET${String(i).padStart(11, '0')}`,
        owner: `team-${i % 97}@example.com`,
        maxRisk: i % 100,
        alerts: i % 7,
        lastAlert: null,
        calls: i,
        lastSeen: '2026-03-08T00:00:00.000Z',
        learning: i % 10 === 0,
        pastRotation: false,
        dormant: false,
        idleDays: 0,
      }));
      writeFileSync(
        join(dir, 'r', 'fleet.html'),
        indexPage({ generatedAt: 'test', asOf: '2026-03-08T00:00:00.000Z', rows, alertsByDayRule: [] }),
      );
      const page = await open('fleet.html');
      const visible = page.locator('#keys-table tbody tr:visible');
      expect(await visible.count()).toBe(50);
      expect(await page.locator('#status').textContent()).toBe('Showing 1–50 of 10,000 keys');
      expect(await page.locator('#prev').isDisabled()).toBe(true);
      await page.click('#next');
      expect(await page.locator('#status').textContent()).toBe('Showing 51–100 of 10,000 keys');
      await page.fill('#q', 'akiafleet00000004321');
      expect(await visible.count()).toBe(1);
      expect(await visible.first().locator('a').getAttribute('href')).toBe(keyPagePath('AKIAFLEET00000004321'));
      await page.fill('#q', 'team-5@');
      expect(await page.locator('#status').textContent()).toBe('Showing 1–50 of 104 keys matching');
      expect(errors).toEqual([]);
    },
    SLOW,
  );

  it(
    "draws the key's week as 168 cells holding its calls per key-local hour",
    async () => {
      const page = await open(keyPagePath(key.id));
      await page.screenshot({ path: join(ARTIFACTS, 'key.png'), fullPage: true });
      const cells = page.locator('svg.heatmap rect.hm-cell');
      expect(await cells.count()).toBe(168);
      const counts = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
      expect(counts).toEqual(expectedHeatMap(readFileSync(join(dir, 'd', 'cloudtrail.ndjson'), 'utf8'), key));
      // Rendered, not just present: cells have a size and the busiest is coloured darker than an empty one.
      const box = await cells.first().boundingBox();
      expect(box?.width).toBeGreaterThan(10);
      if (key.businessHours) expect(await page.locator('svg.heatmap rect.hm-bh').count()).toBe(key.businessHours.days.length);
      expect(await page.locator('svg.heatmap').getAttribute('role')).toBe('img');
      expect(errors).toEqual([]);
    },
    SLOW,
  );
});

if (!hasChromium()) {
  // .ci/run installs Chromium and sets this: in CI the browser test must run, not skip.
  if (process.env.KEYWATCH_REQUIRE_BROWSER === '1')
    throw new Error('KEYWATCH_REQUIRE_BROWSER=1 but no Chromium at /usr/bin/chromium');
  console.log('report browser test skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)');
}
