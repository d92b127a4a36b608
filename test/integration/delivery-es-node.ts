// A private Elasticsearch node for tests that must stop and start a server (the outage test): the shared node on
// 9200 is used by other tests and must never be stopped. Same script, its own port and work directory.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../infra/elasticsearch.sh', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface PrivateNode {
  readonly url: string;
  /** First start: a fresh node. */
  start(): Promise<void>;
  /** Stops the node and waits until it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same data, as after an outage. */
  restart(): Promise<void>;
}

export function privateElasticsearchNode(name: string, port: number): PrivateNode {
  const env = {
    ...process.env,
    KEYWATCH_ES_PORT: String(port),
    KEYWATCH_ES_TRANSPORT_PORT: String(port + 100),
    KEYWATCH_ES_WORK_DIR: `${REPO}.infra/${name}`,
  };
  const script = async (command: string, extra: Record<string, string> = {}) => {
    await run('bash', [SCRIPT, command], { env: { ...env, ...extra }, timeout: 200_000 });
  };
  return {
    url: `http://127.0.0.1:${port}`,
    start: () => script('start'),
    stop: () => script('stop'),
    restart: () => script('start', { KEYWATCH_ES_KEEP_DATA: '1' }),
  };
}
