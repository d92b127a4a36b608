import type { IHeaders, KafkaMessage, Message, TopicMessages } from 'kafkajs';
import type { InputRecord, OutputRecord } from './types.ts';

export function toInputRecord(topic: string, partition: number, message: KafkaMessage): InputRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key === null ? null : message.key.toString('utf8'),
    value: message.value,
    headers: headerStrings(message.headers),
    timestamp: message.timestamp,
  };
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

/** Groups outputs per topic, keeping their order (per-key order is what detect relies on). */
export function toTopicMessages(outputs: OutputRecord[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const out of outputs) {
    let messages = byTopic.get(out.topic);
    if (!messages) {
      messages = [];
      byTopic.set(out.topic, messages);
    }
    messages.push({
      key: out.key,
      value: out.value,
      ...(out.headers ? { headers: out.headers } : {}),
      ...(out.partition !== undefined ? { partition: out.partition } : {}),
    });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** The offset to commit after a record: Kafka commits the next offset to read. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
