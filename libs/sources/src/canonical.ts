import { type CanonicalEvent, type FoundSecret, formatFieldErrors, validateCanonicalEvent } from '@keywatch/event';
import type { Adapter, Mapper, Unwrapped } from './adapter.ts';
import { own } from './fields.ts';
import { finishEvent } from './finish-event.ts';
import { reject } from './rejection.ts';
import { defineSource } from './source-definition.ts';

/**
 * Events already in the canonical shape (from another keywatch, or a custom producer). They are
 * validated field by field, redacted like any record, and capped like any adapter's output.
 */
export const canonicalAdapter: Adapter = {
  unwrap: (value): Unwrapped[] => [{ path: '', value }],
  mapperFor: () => canonicalMapper,
};

const canonicalMapper: Mapper = { secretPaths: [], map: mapCanonical };

function mapCanonical(record: unknown, secrets: FoundSecret[]): CanonicalEvent {
  const checked = validateCanonicalEvent(record);
  if (!checked.ok) reject('invalid_field', formatFieldErrors(checked.errors));
  return finishEvent({ ...checked.event, secrets: [...checked.event.secrets, ...secrets] }, 'credentialId');
}

export const canonicalSource = defineSource({
  format: 'canonical',
  description: "keywatch's own canonical events (another keywatch, a custom producer)",
  recognise: (v) =>
    typeof own(v, 'credentialId') === 'string' && typeof own(v, 'action') === 'string' && own(v, 'time') !== undefined,
  adapter: () => canonicalAdapter,
});
