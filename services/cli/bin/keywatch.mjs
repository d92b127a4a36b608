#!/usr/bin/env node
// Entry point of the `keywatch` command. keywatch runs on Node.js >= 24 (TypeScript type stripping,
// node:sqlite); under an older node the launcher re-runs this command with the repository's Node 24.
const major = Number(process.versions.node.split('.')[0]);
if (major >= 24) {
  await import('../src/main.ts');
} else {
  const { relaunchUnderNode24 } = await import('../../../scripts/relaunch-node24.mjs');
  relaunchUnderNode24('keywatch', import.meta.url);
}
