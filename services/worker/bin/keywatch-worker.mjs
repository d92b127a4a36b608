#!/usr/bin/env node
// Entry point of the `keywatch-worker` command (the Kafka roles). keywatch runs on Node.js >= 24 (TypeScript
// type stripping); under an older node the launcher re-runs this command with the repository's Node 24.
const major = Number(process.versions.node.split('.')[0]);
if (major >= 24) {
  const { main } = await import('../src/main.ts');
  process.exit(await main(process.argv.slice(2)));
} else {
  const { relaunchUnderNode24 } = await import('../../../scripts/relaunch-node24.mjs');
  relaunchUnderNode24('keywatch-worker', import.meta.url);
}
