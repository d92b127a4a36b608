import type { EcsAlert } from '@keywatch/alerts';
import { type Profile, withDefaults } from '@keywatch/detect';
import { KeywatchError } from '@keywatch/errors';
import { explainKey, type KeyData, loadKeyData, renderExplanation, stateAsOf } from '@keywatch/report';
import { StateReader } from '@keywatch/state';

export interface ExplainOptions {
  keyId: string;
  state?: string;
  /** A detect worker's changelog topic (instead of --state), with brokers. */
  topic?: { brokers: string[]; topic: string; alertsTopic?: string };
  json: boolean;
}

export class ExplainError extends KeywatchError {
  constructor(message: string) {
    super(message, { expected: true, retriable: false });
  }
}

/** `keywatch explain <key-id>`: the key's declaration, baseline in words and recent alerts. Exit 3 for an unknown key. */
export async function explainCommand(opts: ExplainOptions): Promise<number> {
  const options = withDefaults();
  let data: KeyData | null;
  let asOf: number;
  let where: string;
  if (opts.topic) {
    where = `changelog topic ${opts.topic.topic}`;
    data = await fromTopic(opts.keyId, opts.topic);
    asOf = data?.profile?.lastSeen ?? 0;
  } else {
    if (!opts.state) throw new ExplainError('--state <file> or --topic <changelog> is required');
    where = `state file ${opts.state}`;
    const reader = new StateReader(opts.state);
    try {
      data = loadKeyData(reader, opts.keyId);
      asOf = stateAsOf(reader, reader.keyIds());
    } finally {
      reader.close();
    }
  }
  if (data === null) {
    process.stderr.write(`keywatch: key ${JSON.stringify(opts.keyId)} is unknown: ${where} has no profile and no alert for it\n`);
    return 3;
  }
  const e = explainKey(data, asOf, options);
  process.stdout.write(opts.json ? `${JSON.stringify(e, null, 2)}\n` : renderExplanation(e));
  return 0;
}

/**
 * A detect worker keeps profiles in its compacted changelog topic (record key = key id): the last record
 * for the key is its profile. Report history is not kept by workers; alerts come from the alerts topic
 * when one is named.
 */
async function fromTopic(keyId: string, t: NonNullable<ExplainOptions['topic']>): Promise<KeyData | null> {
  const { replayTopic } = await import('@keywatch/kafka');
  const { decodeChangelogValue } = await import('@keywatch/worker');
  let profile: Profile | null = null;
  for await (const r of replayTopic({ brokers: t.brokers, topic: t.topic, format: 'changelog', idleTimeoutMs: 15_000 })) {
    if (r.key !== keyId) continue;
    profile = r.value === null ? null : decodeChangelogValue(r.value);
  }
  const alerts: EcsAlert[] = [];
  if (t.alertsTopic) {
    for await (const r of replayTopic({ brokers: t.brokers, topic: t.alertsTopic, format: 'alert', idleTimeoutMs: 15_000 })) {
      if (r.key !== keyId || r.value === null) continue;
      alerts.push(JSON.parse(r.value.toString('utf8')) as EcsAlert);
    }
    alerts.sort((a, b) => (a['@timestamp'] < b['@timestamp'] ? 1 : -1));
  }
  if (profile === null && alerts.length === 0) return null;
  return { id: keyId, info: null, profile, days: [], values: [], alerts: alerts.slice(0, 50), feedback: [], suppressions: [] };
}
