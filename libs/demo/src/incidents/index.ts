import type { Scenario } from '../scenario.ts';
import { abandonedKeyWoken } from './abandoned-key.ts';
import { bulkExfiltration } from './bulk-exfiltration.ts';
import { dormantKeyUsed } from './dormant-key.ts';
import { enumeration } from './enumeration.ts';
import { impossibleTravel } from './impossible-travel.ts';
import { keyPastRotation } from './key-past-rotation.ts';
import { newClientOnBotHost } from './new-client.ts';
import { offHoursUse } from './off-hours.ts';
import { secretLeak } from './secret-leak.ts';
import { stolenKeyAbroad } from './stolen-abroad.ts';
import { stolenKeySameCountry } from './stolen-same-country.ts';
import { writeOnReadOnly } from './write-read-only.ts';

/**
 * The incident types the demo injects, in the order slots are dealt (earlier kinds get one more incident
 * when the count does not divide evenly). To cover a new detector, add a Scenario here.
 */
export const INCIDENT_SCENARIOS: readonly Scenario[] = [
  stolenKeyAbroad,
  stolenKeySameCountry,
  writeOnReadOnly,
  offHoursUse,
  enumeration,
  secretLeak,
  bulkExfiltration,
  impossibleTravel,
  dormantKeyUsed,
  newClientOnBotHost,
  keyPastRotation,
  abandonedKeyWoken,
];
