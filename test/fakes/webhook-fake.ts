// A webhook receiver that checks the HMAC signature the way a careful receiver would, and answers 401 when it fails.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type FakeHttpServer, startFakeHttp } from './http-fake.ts';

export interface FakeWebhook extends FakeHttpServer {
  readonly hookUrl: string;
  /** Bodies whose signature verified. */
  received(): unknown[];
}

export async function startFakeWebhook(signingSecret: string, path = '/hooks/keywatch'): Promise<FakeWebhook> {
  const received: unknown[] = [];
  const server = await startFakeHttp((request) => {
    if (request.method !== 'POST' || request.path !== path) return { status: 404, body: 'not found' };
    const expected = Buffer.from(`sha256=${createHmac('sha256', signingSecret).update(request.body).digest('hex')}`);
    const given = Buffer.from(String(request.headers['x-keywatch-signature'] ?? ''));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { status: 401, body: 'bad signature' };
    received.push(JSON.parse(request.body));
    return { status: 204, body: '' };
  });
  return Object.assign(server, { hookUrl: `${server.url}${path}`, received: () => received });
}
