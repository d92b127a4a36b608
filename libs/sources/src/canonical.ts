import { type CanonicalEvent, type FoundSecret, formatFieldErrors, validateCanonicalEvent } from '@keywatch/event';
import type { Adapter, Mapper, Unwrapped } from './adapter.ts';
import { finishEvent } from './finish-event.ts';
import { reject } from './rejection.ts';

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
