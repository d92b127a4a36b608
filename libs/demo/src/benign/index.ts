import type { Scenario } from '../scenario.ts';
import { oneOffBusyDay } from './busy-day.ts';
import { ciRunnerPool } from './ci-runner-pool.ts';
import { declaredReadWriteWrites } from './declared-write.ts';
import { dstShift } from './dst-shift.ts';
import { newApiAdopted } from './new-api.ts';
import { redeployNewCloudIps } from './redeploy.ts';
import { samePrefixMove } from './same-prefix-move.ts';
import { singleDenial } from './single-denial.ts';
import { throttlingBurst } from './throttling-burst.ts';
import { throttlingRetries } from './throttling-retries.ts';

/**
 * Benign confounders: unusual-looking but normal behaviour that must not raise an alert, dealt in this
 * order (with fewer slots than kinds, the first kinds are placed).
 */
export const BENIGN_SCENARIOS: readonly Scenario[] = [
  redeployNewCloudIps,
  ciRunnerPool,
  dstShift,
  oneOffBusyDay,
  throttlingBurst,
  samePrefixMove,
  throttlingRetries,
  singleDenial,
  declaredReadWriteWrites,
];

/**
 * Confounders added after the first deal. They are placed after it, from their own random stream, on keys the
 * first deal left free, as many as one kind of the first deal gets: adding one leaves every seed's other stories
 * where they were, so results before and after it stay comparable (appending to the list above re-deals them all).
 */
export const ADDED_BENIGN_SCENARIOS: readonly Scenario[] = [newApiAdopted];
