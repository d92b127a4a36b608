import type { OutputRecord } from '@keywatch/kafka';

/** A DLQ record naming the source position; the record itself is not copied (it may not be redacted). */
export function deadLetterRecord(
  topic: string,
  record: { topic: string; partition: number; offset: string },
  reason: string,
  message: string,
): OutputRecord {
  const source = { topic: record.topic, partition: String(record.partition), offset: record.offset };
  return {
    topic,
    key: null,
    value: JSON.stringify({ reason, message, source }),
    headers: {
      reason,
      message,
      'source.topic': source.topic,
      'source.partition': source.partition,
      'source.offset': source.offset,
    },
  };
}

/** An error's first line, short: enough to find the cause, never a record. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 300);
}
