// The container image, without a Docker engine: the Dockerfile's install step (deploy/image/install.sh) is
// run in a temporary folder holding exactly the build context .dockerignore lets through, then the image's
// two commands are started from there. Where a Docker engine exists, the real image is built and run too.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, matchesGlob } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './cli.ts';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'services/cli/package.json'), 'utf8')) as { version: string }).version;

/** .dockerignore as Docker reads it: one pattern a line, `!` re-includes, the last matching line wins. */
function dockerignore(): (path: string) => boolean {
  const rules = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => (l.startsWith('!') ? { keep: true, glob: l.slice(1) } : { keep: false, glob: l }));
  return (path) => {
    let ignored = false;
    for (const rule of rules) {
      // A pattern matching a folder excludes everything below it.
      const parts = path.split('/');
      const hit = parts.some((_, i) => matchesGlob(parts.slice(0, i + 1).join('/'), rule.glob));
      if (hit) ignored = !rule.keep;
    }
    return ignored;
  };
}

function buildContext(): string {
  const ignored = dockerignore();
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  const dir = join(tempDir(), 'app');
  for (const file of files) {
    if (ignored(file) || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  return dir;
}

function run(cwd: string, command: string, args: string[], timeout = 120_000) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the image install steps, reproduced in a temporary folder', () => {
  const app = buildContext();
  afterAll(() => rmSync(dirname(app), { recursive: true, force: true }), 120_000);

  it('build context leaves out tests, local state and installed files', () => {
    expect(existsSync(join(app, 'Dockerfile'))).toBe(true);
    expect(existsSync(join(app, 'test/package.json'))).toBe(true);
    expect(existsSync(join(app, 'test/e2e'))).toBe(false);
    expect(existsSync(join(app, 'libs/detect/test'))).toBe(false);
    expect(existsSync(join(app, 'libs/detect/src'))).toBe(true);
  });

  it('installs production dependencies only, from the lockfile, and both commands start', () => {
    const install = run(app, 'bash', ['deploy/image/install.sh'], 300_000);
    expect(install.status, install.stderr).toBe(0);
    // Dev tools and test servers' clients stay out of the image.
    for (const devOnly of ['vitest', 'typescript', '@biomejs/biome', 'testcontainers', 'turbo']) {
      expect(existsSync(join(app, 'node_modules', devOnly)), devOnly).toBe(false);
    }
    const cli = run(app, process.execPath, ['services/cli/bin/keywatch.mjs', '--version']);
    expect(cli.stdout.trim(), cli.stderr).toBe(VERSION);
    const worker = run(app, process.execPath, ['services/worker/bin/keywatch-worker.mjs', '--version']);
    expect(worker.stdout.trim(), worker.stderr).toBe(VERSION);

    const demo = run(app, process.execPath, [
      'services/cli/bin/keywatch.mjs',
      'demo',
      '--keys',
      '6',
      '--days',
      '3',
      '--no-alerts-out',
    ]);
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout + demo.stderr).toMatch(/keywatch demo: done/);
  }, 420_000);
});

/** True when a Docker engine answers (CI machines without one skip the real image build). */
function dockerEngine(): boolean {
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

describe.skipIf(!dockerEngine())('the real image (needs a Docker engine)', () => {
  it('builds from the Dockerfile and answers --version and demo as a non-root user', async () => {
    const { GenericContainer } = await import('testcontainers');
    const image = await GenericContainer.fromDockerfile(ROOT).build('keywatch:test', { deleteOnExit: true });
    const version = await image.withCommand(['sleep', '300']).start();
    const result = await version.exec(['keywatch', '--version']);
    expect(result.output.trim()).toBe(VERSION);
    const id = await version.exec(['id', '-u']);
    expect(id.output.trim()).toBe('1000');
    await version.stop();
  }, 900_000);
});
