import type { Scenario } from '../scenario.ts';
import { declaredReadWriteWrites } from './declared-write.ts';
import { lateDaytimeRun } from './late-run.ts';
import { samePrefixMove } from './same-prefix-move.ts';
import { singleDenial } from './single-denial.ts';
import { throttlingRetries } from './throttling-retries.ts';

/** Benign confounders: unusual-looking but normal behaviour that must not raise an alert. */
export const BENIGN_SCENARIOS: readonly Scenario[] = [
  samePrefixMove,
  throttlingRetries,
  singleDenial,
  declaredReadWriteWrites,
  lateDaytimeRun,
];
