// A local HTTP server that plays an external API for contract tests: it answers with the API's own logic unless
// a test has queued a fault (an error status, a Retry-After, a slow answer, a connection reset).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'status'; status: number; body: string; headers?: Record<string, string> }
  | { kind: 'slow'; delayMs: number } // answers normally, but only after the delay
  | { kind: 'reset' }; // destroys the socket without an answer

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface FakeHttpServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Faults applied to the next requests, one each, in order. */
  fail(...faults: Fault[]): void;
  close(): Promise<void>;
}

export async function startFakeHttp(answer: (request: RecordedRequest) => Answer): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const fault = faults.shift();
      if (fault?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'status') {
        reply(res, fault);
        return;
      }
      if (fault?.kind === 'slow') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) reply(res, answer(request));
        }, fault.delayMs);
        timers.add(timer);
        return;
      }
      reply(res, answer(request));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail: (...more) => faults.push(...more),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, answer.headers ?? { 'content-type': 'text/plain' });
  res.end(answer.body);
}
