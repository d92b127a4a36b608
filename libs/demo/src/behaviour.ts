import type { Rng } from './rng.ts';

/**
 * How strongly a fleet shows each benign behaviour of real fleets. Drawn once per seed from the ranges
 * below, so that every seed is another organisation: one where most business-hours keys finish late and
 * on-call engineers touch keys every weekend, another where that is rare. A detector setting fit to one
 * seed meets other intensities on the next. The ranges come from what real trails and teams look like,
 * not from any detector's thresholds.
 */
export interface FleetBehaviour {
  /** Business-hours and CI keys: share of working days that run past the usual end, and how far at most. */
  lateFinish: { dayShare: number; maxMinutes: number };
  /** Business-hours keys with an on-call rota; on a weekend day, the chance of a few daytime calls. */
  onCall: { keyShare: number; weekendDayShare: number; maxCalls: number };
  /** Business-hours keys that work in sessions (over-dispersed hourly counts); spread of a session's size. */
  bursty: { keyShare: number; sessionSigma: number };
  /** Keys making a handful of calls a day instead of dozens an hour. */
  lowVolumeShare: number;
  /** Keys active on only some days, and the share of days they are active. */
  intermittent: { keyShare: number; activeDayShare: number };
  /** Keys that pause for 10–20 days (a holiday, a paused project) and come back from their usual place. */
  pauseShare: number;
  /** Keys whose SDK gets a new version during the window. */
  sdkUpgradeShare: number;
  /** Keys whose S3 data events CloudTrail records with the user agent in brackets (`[aws-sdk-go/1.44 …]`). */
  bracketedS3Share: number;
  /** aws-cli keys whose user agent ends with the per-call `command/<svc>.<op>` (or `md/command#…`). */
  cliCommandShare: number;
  /** CI deployers driven by Terraform (`APN/1.0 HashiCorp/1.0 …`) instead of the aws-cli. */
  terraformShare: number;
  /** CI keys whose tool tags its user agent with a per-run UUID (`exec-env/<tool>_<uuid>`). */
  runIdShare: number;
  /** AWS keys that assume roles or get federation tokens (CloudTrail logs the session token). */
  stsShare: number;
  /** Writers whose writes carry idempotency tokens (`clientRequestToken`). */
  idempotencyShare: number;
  /** Keys that page through listings (`nextToken` in requestParameters). */
  paginationShare: number;
  /** Cloud keys that run in a second region of their provider at the same time. */
  multiRegionShare: number;
}

/** Draws a fleet's behaviour intensities for one seed. */
export function drawBehaviour(rng: Rng): FleetBehaviour {
  const f = (min: number, max: number) => round(rng.float(min, max));
  return {
    lateFinish: { dayShare: f(0.1, 0.45), maxMinutes: rng.int(40, 75) },
    onCall: { keyShare: f(0.2, 0.7), weekendDayShare: f(0.1, 0.5), maxCalls: rng.int(3, 15) },
    bursty: { keyShare: f(0.3, 0.9), sessionSigma: f(0.4, 1.2) },
    lowVolumeShare: f(0.05, 0.25),
    intermittent: { keyShare: f(0.05, 0.2), activeDayShare: f(0.25, 0.6) },
    pauseShare: f(0.03, 0.12),
    sdkUpgradeShare: f(0.05, 0.3),
    bracketedS3Share: f(0.5, 1),
    cliCommandShare: f(0.4, 1),
    terraformShare: f(0.2, 0.6),
    runIdShare: f(0.1, 0.5),
    stsShare: f(0.1, 0.4),
    idempotencyShare: f(0.2, 0.7),
    paginationShare: f(0.1, 0.4),
    multiRegionShare: f(0.1, 0.35),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
