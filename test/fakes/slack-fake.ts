// A fake Slack incoming webhook: 200 "ok" for a valid Block Kit message on the secret path, the plain-text
// error codes Slack uses otherwise, and Slack's Block Kit limits enforced as `invalid_payload`.
import { type FakeHttpServer, type RecordedRequest, startFakeHttp } from './http-fake.ts';

export interface FakeSlack extends FakeHttpServer {
  /** The webhook URL, whose path is the secret. */
  readonly webhookUrl: string;
  /** The messages Slack accepted, parsed. */
  accepted(): SlackPayload[];
}

export interface SlackPayload {
  text: string;
  blocks: { type: string; text?: { type: string; text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[];
}

export async function startFakeSlack(secretPath = '/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX'): Promise<FakeSlack> {
  const accepted: SlackPayload[] = [];
  const server = await startFakeHttp((request) => {
    if (request.method !== 'POST' || request.path !== secretPath) return { status: 404, body: 'no_service' };
    const problem = blockKitProblem(request);
    if (problem) return { status: 400, body: 'invalid_payload' };
    accepted.push(JSON.parse(request.body) as SlackPayload);
    return { status: 200, body: 'ok' };
  });
  return Object.assign(server, { webhookUrl: `${server.url}${secretPath}`, accepted: () => accepted });
}

/** Slack's documented limits for messages (see shared/reference/alert-destinations.md a). */
export function blockKitProblem(request: RecordedRequest): string | null {
  let payload: SlackPayload;
  try {
    payload = JSON.parse(request.body) as SlackPayload;
  } catch {
    return 'body is not JSON';
  }
  if (typeof payload.text !== 'string' || payload.text.length === 0) return 'text missing';
  if (!Array.isArray(payload.blocks) || payload.blocks.length > 50) return 'blocks missing or more than 50';
  for (const block of payload.blocks) {
    if (block.type === 'header' && (block.text?.type !== 'plain_text' || block.text.text.length > 150)) return 'header';
    if (block.type === 'section') {
      if (block.text && block.text.text.length > 3000) return 'section text over 3000';
      if (block.fields && (block.fields.length > 10 || block.fields.some((f) => f.text.length > 2000))) return 'fields';
    }
    if (block.type === 'context' && (!block.elements || block.elements.length > 10)) return 'context';
  }
  return null;
}
