import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface Readiness {
  ready: boolean;
  /** Why not ready (or what is ready), shown in the /readyz body. */
  detail: string;
}

/** Liveness: false means the process should be restarted (a stopped consumer, a stuck batch, a broken producer). */
export interface Health {
  healthy: boolean;
  /** Why not healthy, in plain words (absent when healthy). */
  reason?: string;
  /** What the verdict was made of, for the operator reading the body. */
  checks?: Record<string, unknown>;
}

export interface OpsServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  readiness: () => Readiness;
  /** Without it, /healthz answers 200 while the process runs. */
  health?: () => Health;
}

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * /metrics (Prometheus text), /healthz (liveness: 200 or 503, JSON `{status, reason?, checks?}`),
 * /readyz (the role can do its work).
 */
export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/healthz') {
      const { healthy, reason, checks } = opts.health?.() ?? { healthy: true };
      const body = { status: healthy ? 'ok' : 'unhealthy', ...(reason ? { reason } : {}), ...(checks ? { checks } : {}) };
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
    } else if (path === '/readyz') {
      const { ready, detail } = opts.readiness();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(`${detail}\n`);
    } else if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': opts.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
