// Shoots one key page of a report: node test/e2e/screenshot.ts <report-dir> <key-id> <out.png>
// (used by scripts/report-screenshot.sh for the README picture).
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { keyPagePath } from '@keywatch/report';
import { launchChromium } from './browser.ts';

const [reportDir, keyId, out] = process.argv.slice(2);
if (!reportDir || !keyId || !out) throw new Error('usage: screenshot.ts <report-dir> <key-id> <out.png>');
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 980, height: 900 });
  await page.goto(pathToFileURL(resolve(join(reportDir, keyPagePath(keyId)))).href);
  // The heat map and the alert timeline side by side in one picture: hide the long tables in between.
  await page.addStyleTag({
    content: 'section[aria-labelledby="where"],section[aria-labelledby="who"],details,#fails,#fails+svg{display:none}',
  });
  await page.screenshot({ path: out, fullPage: true });
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await browser.close();
}
