import type { Detector } from './detector.ts';
import { dormantKey } from './detectors/dormant-key.ts';
import { failureSpike } from './detectors/failure-spike.ts';
import { impossibleTravel } from './detectors/impossible-travel.ts';
import { instanceCredentialsExfiltration } from './detectors/instance-credentials-exfiltration.ts';
import { keyAge } from './detectors/key-age.ts';
import { newAsn } from './detectors/new-asn.ts';
import { newCountry } from './detectors/new-country.ts';
import { newIp } from './detectors/new-ip.ts';
import { newUserAgent } from './detectors/new-user-agent.ts';
import { offHours } from './detectors/off-hours.ts';
import { secretInLogs } from './detectors/secret-in-logs.ts';
import { volumeSpike } from './detectors/volume-spike.ts';
import { writeOnReadOnly } from './detectors/write-on-read-only.ts';

/**
 * Every detector, once. Ids, names, options (defaults and validation), learning and feedback all come from
 * this list; its order is the vocabulary's (DESIGN.md) and the order findings are reported in. To add a
 * detector: write one file under `detectors/` with `defineDetector`, and append it here (libs/detect/README.md).
 */
export const DETECTORS = [
  newIp,
  newAsn,
  newCountry,
  newUserAgent,
  offHours,
  writeOnReadOnly,
  failureSpike,
  volumeSpike,
  impossibleTravel,
  dormantKey,
  secretInLogs,
  keyAge,
  instanceCredentialsExfiltration,
] as const;

export type AnyDetector = (typeof DETECTORS)[number];
export type DetectorId = AnyDetector['id'];

/** The detector vocabulary (DESIGN.md): ids keep their meaning forever. A tuple, so `z.enum` accepts it. */
export const DETECTOR_IDS = DETECTORS.map((d) => d.id) as unknown as readonly [DetectorId, ...DetectorId[]];

export function isDetectorId(x: string): x is DetectorId {
  return (DETECTOR_IDS as readonly string[]).includes(x);
}

/** Plain-language rule names, used as the ECS `rule.name`. */
export const DETECTOR_NAMES = Object.fromEntries(DETECTORS.map((d) => [d.id, d.name])) as Record<DetectorId, string>;

const BY_ID = new Map<string, Detector>(DETECTORS.map((d) => [d.id, d as unknown as Detector]));

/** The detector with this id (every DetectorId has one). */
export function detectorById(id: DetectorId): Detector {
  return BY_ID.get(id)!;
}
