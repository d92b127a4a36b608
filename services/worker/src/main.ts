// The Kafka worker: `keywatch-worker --role normalize|detect|dispatch|normalize-detect --config keywatch.yaml`.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isExpectedError } from '@keywatch/errors';
import { createLogger, createMetrics, startOpsServer } from '@keywatch/ops';
import { checkDeliveryConfig, loadWorkerConfig } from './config.ts';
import { FUSED_REQUIREMENT, type Role, WORKER_ROLES } from './topology.ts';
import { startWorker } from './worker.ts';

const USAGE = 'usage: keywatch-worker --role normalize|detect|dispatch|normalize-detect --config <file.yaml>';
const HELP = `${USAGE}

Runs one Kafka role as a member of its consumer group (docs/kafka.md):
  normalize         raw topics -> events topic
  detect            events topic -> alerts topic (+ state changelog)
  dispatch          alerts topic -> destinations
  normalize-detect  one raw topic -> alerts topic (+ state changelog), both stages in one process, one
                    transaction per batch, no events topic. ${FUSED_REQUIREMENT}
`;
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let role: Role;
  let configPath: string;
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (argv.includes('--version') || argv.includes('-V')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    const { values } = parseArgs({ args: argv, options: { role: { type: 'string' }, config: { type: 'string' } }, strict: true });
    if (!values.role || !WORKER_ROLES.includes(values.role as Role))
      throw new Error(`--role: one of ${WORKER_ROLES.join(', ')} is required`);
    if (!values.config) throw new Error('--config: a configuration file is required');
    role = values.role as Role;
    configPath = values.config;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }

  let config: ReturnType<typeof loadWorkerConfig>;
  try {
    config = loadWorkerConfig(configPath, env);
    if (role === 'dispatch') await checkDeliveryConfig(config, configPath);
  } catch (error) {
    process.stderr.write(`${isExpectedError(error) ? (error as Error).message : String(error)}\n`);
    return 2;
  }

  const logger = createLogger({ name: `keywatch-${role}`, level: config.log.level });
  const metrics = createMetrics({ defaultMetrics: true });
  let worker: Awaited<ReturnType<typeof startWorker>>;
  try {
    worker = await startWorker(role, config, { logger, metrics, env });
  } catch (error) {
    logger.fatal({ err: String(error) }, 'worker failed to start');
    return 1;
  }
  const ops = await startOpsServer({
    port: config.http.port,
    host: config.http.host,
    registry: metrics.registry,
    readiness: () => worker.readiness(),
    health: () => worker.health(),
  });
  logger.info({ port: ops.port }, 'ops server listening (/metrics, /healthz, /readyz)');

  // Ends on a signal (exit 0 after a clean stop) or when the consumer crashes for good (exit 1 after one).
  const code = await new Promise<number>((resolve) => {
    const shutdown = (why: object, exitCode: number) => {
      logger.info(why, 'stopping: finishing the batch in flight');
      worker.stop().then(
        () => resolve(exitCode),
        (error: unknown) => {
          logger.error({ err: String(error) }, 'clean stop failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => shutdown({ signal: 'SIGTERM' }, 0));
    process.once('SIGINT', () => shutdown({ signal: 'SIGINT' }, 0));
    worker.done.catch((error: unknown) => {
      logger.fatal({ err: String(error) }, 'consumer crashed for good');
      shutdown({ reason: 'consumer crashed for good' }, 1);
    });
  });
  await ops.close();
  logger.info({ code }, 'stopped');
  return code;
}

if (import.meta.main) {
  // Exit explicitly: a client library may keep timers alive after disconnecting.
  process.exit(await main(process.argv.slice(2)));
}
