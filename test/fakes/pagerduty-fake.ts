// A fake PagerDuty Events API v2 endpoint (/v2/enqueue): 202 for a valid event, 400 with PagerDuty's error body
// for an invalid one, and one open alert per (routing_key, dedup_key), as PagerDuty deduplicates.
import { type FakeHttpServer, startFakeHttp } from './http-fake.ts';

export interface PagerDutyEvent {
  routing_key: string;
  event_action: string;
  dedup_key?: string;
  payload: { summary: string; source: string; severity: string; custom_details?: Record<string, unknown>; [k: string]: unknown };
  links?: { href: string; text?: string }[];
}

export interface FakePagerDuty extends FakeHttpServer {
  readonly enqueueUrl: string;
  /** Accepted events in arrival order. */
  events(): PagerDutyEvent[];
  /** Open alerts: one per routing key and dedup key. */
  openAlerts(): Map<string, PagerDutyEvent>;
}

const SEVERITIES = ['critical', 'error', 'warning', 'info'];

export async function startFakePagerDuty(): Promise<FakePagerDuty> {
  const events: PagerDutyEvent[] = [];
  const open = new Map<string, PagerDutyEvent>();
  const server = await startFakeHttp((request) => {
    if (request.method !== 'POST' || request.path !== '/v2/enqueue') return { status: 404, body: 'Not Found' };
    let event: PagerDutyEvent;
    try {
      event = JSON.parse(request.body) as PagerDutyEvent;
    } catch {
      return invalid('Unrecognized object', 'Event object format is unrecognized', ['JSON parse error']);
    }
    const errors = problems(event);
    if (errors.length > 0) return invalid('invalid event', 'Event object is invalid', errors);
    const dedupKey = event.dedup_key ?? `generated-${events.length}`;
    events.push(event);
    // A resolve closes the alert of its dedup key; trigger (and acknowledge) keep one open.
    if (event.event_action === 'resolve') open.delete(`${event.routing_key}\n${dedupKey}`);
    else open.set(`${event.routing_key}\n${dedupKey}`, event);
    return json(202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  });
  return Object.assign(server, {
    enqueueUrl: `${server.url}/v2/enqueue`,
    events: () => events,
    openAlerts: () => open,
  });
}

function problems(event: PagerDutyEvent): string[] {
  const errors: string[] = [];
  if (typeof event.routing_key !== 'string' || event.routing_key.length !== 32)
    errors.push("'routing_key' must be a 32 character string");
  if (!['trigger', 'acknowledge', 'resolve'].includes(event.event_action)) errors.push("'event_action' is invalid");
  if (event.dedup_key !== undefined && event.dedup_key.length > 255) errors.push("'dedup_key' is too long");
  if (event.event_action === 'trigger') {
    const p = event.payload;
    if (!p || typeof p.summary !== 'string' || p.summary.length === 0) errors.push("'payload.summary' is missing");
    else if (p.summary.length > 1024) errors.push("'payload.summary' must be at most 1024 characters");
    if (!p || typeof p.source !== 'string' || p.source.length === 0) errors.push("'payload.source' is missing");
    if (!p || !SEVERITIES.includes(p.severity)) errors.push("'payload.severity' is invalid");
    // Events API v2: `links` is a list of {href (required), text}.
    const links: unknown = event.links;
    if (links !== undefined && !Array.isArray(links)) errors.push("'links' must be an array");
    for (const [i, link] of (Array.isArray(links) ? links : []).entries()) {
      const l = link as { href?: unknown; text?: unknown } | null;
      if (typeof l?.href !== 'string' || l.href === '') errors.push(`'links[${i}].href' is missing`);
      if (l?.text !== undefined && typeof l.text !== 'string') errors.push(`'links[${i}].text' must be a string`);
    }
  }
  return errors;
}

function invalid(status: string, message: string, errors: string[]) {
  return json(400, { status, message, errors });
}

function json(status: number, body: unknown) {
  return { status, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}
