/** The detector vocabulary (DESIGN.md). New detectors add ids; existing ids keep their meaning. */
export const DETECTOR_IDS = [
  'new_ip',
  'new_asn',
  'new_country',
  'new_user_agent',
  'off_hours',
  'write_on_read_only',
  'failure_spike',
  'volume_spike',
  'impossible_travel',
  'dormant_key',
  'secret_in_logs',
  'key_age',
] as const;
export type DetectorId = (typeof DETECTOR_IDS)[number];

export function isDetectorId(x: string): x is DetectorId {
  return (DETECTOR_IDS as readonly string[]).includes(x);
}

/** Plain-language rule names, used as the ECS `rule.name`. */
export const DETECTOR_NAMES: Record<DetectorId, string> = {
  new_ip: 'Key used from a new IP network',
  new_asn: 'Key used from a new network operator (ASN)',
  new_country: 'Key used from a new country',
  new_user_agent: 'Key used by a new client (user agent)',
  off_hours: 'Key used outside its hours',
  write_on_read_only: 'Write call on a read-only key',
  failure_spike: 'Spike of authorization failures',
  volume_spike: 'Spike of call volume',
  impossible_travel: 'Impossible travel between calls',
  dormant_key: 'Dormant key became active',
  secret_in_logs: 'Secret found in an audit record',
  key_age: 'Key older than its rotation policy',
};
