// A webhook receiver that verifies Standard Webhooks signatures the way a careful receiver would: 401 when the
// signature or timestamp fails, and a repeated webhook-id is acknowledged but not processed again.
import { verifyWebhook } from '@keywatch/destinations';
import { type FakeHttpServer, startFakeHttp } from './http-fake.ts';

export interface FakeWebhook extends FakeHttpServer {
  readonly hookUrl: string;
  /** Bodies whose signature verified, each webhook-id once. */
  received(): unknown[];
}

export async function startFakeWebhook(signingSecret: string, path = '/hooks/keywatch'): Promise<FakeWebhook> {
  const received: unknown[] = [];
  const seen = new Set<string>();
  const server = await startFakeHttp((request) => {
    if (request.method !== 'POST' || request.path !== path) return { status: 404, body: 'not found' };
    const verdict = verifyWebhook(request.headers, request.body, signingSecret);
    if (!verdict.ok) return { status: 401, body: verdict.reason };
    if (!seen.has(verdict.id)) received.push(JSON.parse(request.body));
    seen.add(verdict.id);
    return { status: 204, body: '' };
  });
  return Object.assign(server, { hookUrl: `${server.url}${path}`, received: () => received });
}
