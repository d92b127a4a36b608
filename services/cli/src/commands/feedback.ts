import type { EcsAlert } from '@keywatch/alerts';
import { readConfigFile } from '@keywatch/config';
import { createDestinations, destinationModule, destinationsConfigSchema } from '@keywatch/destinations';
import {
  type AlertFacts,
  benignSuppression,
  type DetectorId,
  isDetectorId,
  teachBenign,
  unlearnMalicious,
  withDefaults,
} from '@keywatch/detect';
import { timeContext } from '@keywatch/enrich';
import { KeywatchError } from '@keywatch/errors';
import { parseDuration } from '@keywatch/pipeline';
import { EMPTY_REGISTRY, loadRegistry } from '@keywatch/registry';
import { AlertJournal, openStateFile, SqliteProfileStore } from '@keywatch/state';

export interface FeedbackOptions {
  alertId: string;
  /** Delivery config: with --benign, the alert's PagerDuty incidents are resolved through its dedup key. */
  delivery?: string;
  verdict: 'benign' | 'malicious';
  state: string;
  ttl?: string;
  note?: string;
  keys?: string;
}

/**
 * `keywatch feedback <alert-id> --benign|--malicious`: benign teaches the key's baseline the values that
 * made the alert (and with --ttl also suppresses that pattern for a while); malicious takes the attacker's
 * values back out of the baseline. Both are recorded in the state file.
 */
export async function feedbackCommand(opts: FeedbackOptions, now = Math.floor(Date.now() / 1000)): Promise<number> {
  // Never creates a state file; waits for no one: a run holding the state makes this fail at once, naming it.
  const lock = openStateFile(opts.state, { create: false, command: 'feedback' });
  let journal: AlertJournal;
  let store: SqliteProfileStore;
  try {
    store = new SqliteProfileStore(opts.state);
    journal = new AlertJournal(opts.state);
  } catch (error) {
    lock.release();
    throw error;
  }
  try {
    const alert = findAlert(journal, opts.alertId);
    const facts = factsOf(alert, opts.keys);
    // The baseline the alert was judged against: the key's, or its role's / principal's (docs/detection.md).
    const subject = alert.keywatch.identity?.profile ?? facts.keyId;
    const label = subject === facts.keyId ? `key ${subject}` : subject;
    const profile = store.get(subject);
    const lines: string[] = [];
    if (profile === null) {
      lines.push(`no profile for ${label} in ${opts.state}; nothing to teach`);
    } else if (opts.verdict === 'benign') {
      store.put(subject, teachBenign(profile, facts, now, withDefaults()));
      lines.push(`taught ${label}'s baseline what made this ${facts.rule} alert`);
    } else {
      store.put(subject, unlearnMalicious(profile, facts));
      lines.push(`removed what the ${facts.rule} alert's call taught ${label}'s baseline; the same source alerts again`);
    }
    const ttlSeconds = opts.ttl ? parseDuration(opts.ttl) : null;
    if (opts.verdict === 'benign' && ttlSeconds !== null) {
      const s = benignSuppression(facts, now, ttlSeconds, opts.note ?? `feedback on alert ${facts.alertId}`);
      journal.addSuppression(s);
      lines.push(
        `suppressed ${facts.rule} for key ${facts.keyId}${describeValues(s)} until ${new Date(s.expires! * 1000).toISOString()}`,
      );
    }
    journal.addFeedback({ alertId: facts.alertId, verdict: opts.verdict, at: now, ttlSeconds, note: opts.note ?? null });
    let code = 0;
    if (opts.verdict === 'benign' && opts.delivery) {
      for (const { name, result } of await resolvePages(opts.delivery, facts.alertId)) {
        if (result.status === 'delivered') lines.push(`resolved the PagerDuty incident of this alert (${name})`);
        else {
          lines.push(
            `could not resolve the PagerDuty incident of this alert (${name}): ${'reason' in result ? result.reason : result.status}`,
          );
          code = 1;
        }
      }
    }
    process.stdout.write(`${lines.map((l) => `keywatch feedback: ${l}`).join('\n')}\n`);
    return code;
  } finally {
    store.close();
    journal.close();
    lock.release();
  }
}

function findAlert(journal: AlertJournal, id: string): EcsAlert {
  const exact = journal.get(id);
  if (exact) return exact;
  const candidates = id.length >= 6 ? journal.findIds(id) : [];
  if (candidates.length === 1) return journal.get(candidates[0]!)!;
  if (candidates.length > 1) throw new FeedbackError(`alert id ${id} is ambiguous: ${candidates.join(', ')}`);
  throw new FeedbackError(`no alert ${id} in this state file (alerts are recorded by \`keywatch run --state\`)`);
}

export class FeedbackError extends KeywatchError {
  constructor(message: string) {
    super(message, { expected: true, retriable: false });
  }
}

function factsOf(alert: EcsAlert, keysPath: string | undefined): AlertFacts {
  const rule = alert.rule.id;
  if (!isDetectorId(rule)) throw new FeedbackError(`alert ${alert.event.id} has unknown rule ${rule}`);
  const key = (keysPath ? loadRegistry(keysPath) : EMPTY_REGISTRY).get(alert.keywatch.key.id);
  const details = alert.keywatch.evidence.details;
  const num = (x: unknown) => (typeof x === 'number' ? x : null);
  return {
    alertId: alert.event.id,
    keyId: alert.keywatch.key.id,
    rule: rule as DetectorId,
    ip: alert.source?.ip ?? null,
    country: alert.source?.geo?.country_iso_code ?? null,
    asn: alert.source?.as?.number ?? null,
    userAgent: alert.user_agent?.original ?? null,
    action: alert.event.action,
    time: timeContext(alert['@timestamp'], key.timezone, key.businessHours),
    calls: num(details.calls),
    failures: num(details.failures),
  };
}

function describeValues(s: {
  cidrs: string[];
  asns: number[];
  countries: string[];
  userAgents: string[];
  actions: string[];
}): string {
  const parts = [...s.cidrs, ...s.asns.map((a) => `AS${a}`), ...s.countries, ...s.userAgents, ...s.actions];
  return parts.length > 0 ? ` from/with ${parts.join(', ')}` : '';
}

/**
 * Every destination of the delivery config that can resolve (PagerDuty: the incident with dedup key = alert id)
 * does; only their secrets are read.
 */
async function resolvePages(configPath: string, alertId: string) {
  const raw = readConfigFile(configPath) as Record<string, unknown>;
  const section = (raw !== null && typeof raw === 'object' && 'delivery' in raw ? raw.delivery : raw) as {
    destinations?: unknown;
  };
  const parsed = destinationsConfigSchema.safeParse(section?.destinations ?? {});
  if (!parsed.success) throw new FeedbackError(`${configPath}: destinations: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const results = [];
  const resolving = Object.fromEntries(
    Object.entries(parsed.data).filter(([, d]) => destinationModule(d.kind).capabilities.resolve),
  );
  for (const destination of createDestinations(resolving)) {
    if (destination.resolve) results.push({ name: destination.name, result: await destination.resolve(alertId) });
  }
  return results;
}
