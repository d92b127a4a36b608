import { buildAlert, type EcsAlert } from '@keywatch/alerts';
import { type DetectInput, type DetectOptions, detect, type GroupedFinding, type Suppression } from '@keywatch/detect';
import type { GeoInfo, GeoLookup } from '@keywatch/enrich';
import { timeContext } from '@keywatch/enrich';
import type { CanonicalEvent } from '@keywatch/event';
import { isoMillis } from '@keywatch/event';
import type { KeyRegistry } from '@keywatch/registry';
import { keyPageUrl } from '@keywatch/report';
import type { ProfileStore } from '@keywatch/state';
import type { AlertGroups } from './alert-groups.ts';
import { baselineSubject } from './baseline.ts';
import { type HistorySink, historyEvent } from './history.ts';

export interface DetectStageDeps {
  geo: GeoLookup;
  registry: KeyRegistry;
  store: ProfileStore;
  options: DetectOptions;
  /** Allowlist entries: findings they match never alert. */
  suppressions?: readonly Suppression[];
  /** When true the stage only learns: profiles are updated, no finding is returned (warm start). */
  learnOnly?: boolean;
  /** Report history (calls per day, values used): fed every event at the edge, never part of the profile. */
  history?: HistorySink;
  /** Base URL of a published `keywatch report`: alerts link to their key's page (`event.reference`). */
  reportUrl?: string;
  /**
   * The open alerts of the events this stage sees (one per embedded run, one per Kafka partition state). With
   * it the stage hands out the final version of every alert that later findings joined.
   */
  groups?: AlertGroups;
}

export interface DetectOutput {
  /** Alerts opened by this event. */
  alerts: EcsAlert[];
  /** Findings that joined an alert raised earlier (same key, detector and value within the group window). */
  joined: GroupedFinding[];
  /**
   * Final versions (same id, higher `keywatch.alert.count`, more evidence ids) of alerts whose group window
   * ended before this event, or that had to be closed early to bound memory. Needs `groups`.
   */
  updates: EcsAlert[];
  /** Findings an allowlist entry dropped. */
  suppressed: number;
  riskScore: number;
  /** The key's profile had applied this event already (a re-delivery): skipped, nothing stored. */
  duplicate: boolean;
  /** Older than the key's latest applied call: learned, not judged. */
  late: boolean;
}

/**
 * The detect stage for one event, shared by `keywatch run` and the Kafka detect role: enrich, read the key's
 * profile, run the pure core, store the new profile, turn opened findings into alerts and, with `groups`, hand
 * out the final versions of grouped alerts. Events of one key must come through one stage in order.
 */
export function createDetectStage(deps: DetectStageDeps): (event: CanonicalEvent) => DetectOutput {
  const { groups } = deps;
  return (event) => {
    const subject = baselineSubject(event);
    const input = enrich(event, deps, subject);
    const result = detect(input, deps.store.get(subject), deps.options, deps.suppressions);
    if (result.duplicate) return { ...NOTHING, duplicate: true };
    deps.store.put(subject, result.profile);
    deps.history?.record(historyEvent(input));
    if (result.late) return { ...NOTHING, late: true };
    if (deps.learnOnly) return NOTHING;
    const alerts = result.findings
      .filter((f) => f.opened)
      .map((f) => withReportLink(buildAlert(input, f, result.riskScore, subject), deps.reportUrl));
    const joined = result.findings.filter((f) => !f.opened);
    const updates: EcsAlert[] = [];
    if (groups) {
      updates.push(...groups.closeDue(isoMillis(event.time) / 1000));
      for (const f of joined) updates.push(...groups.joined(f, event.id));
      for (const alert of alerts) groups.opened(alert);
    }
    return {
      suppressed: result.suppressed.length,
      alerts,
      joined,
      updates,
      riskScore: result.riskScore,
      duplicate: false,
      late: false,
    };
  };
}

const NOTHING: DetectOutput = { alerts: [], joined: [], updates: [], suppressed: 0, riskScore: 0, duplicate: false, late: false };

/**
 * The event with its geo, local time and declaration. The declaration is the key's own when the registry
 * lists the key, else that of the baseline subject (a declared role or principal), else the defaults.
 */
export function enrich(
  event: CanonicalEvent,
  deps: Pick<DetectStageDeps, 'geo' | 'registry'>,
  subject: string = baselineSubject(event),
): DetectInput {
  const own = deps.registry.get(event.credentialId);
  const key = own.declared || subject === event.credentialId ? own : deps.registry.get(subject);
  return {
    event,
    key,
    geo: event.sourceIp === null ? reportedCountry(event.sourceCountry ?? null) : deps.geo.lookup(event.sourceIp),
    time: timeContext(event.time, key.timezone, key.businessHours),
  };
}

function withReportLink(alert: EcsAlert, reportUrl: string | undefined): EcsAlert {
  if (reportUrl === undefined) return alert;
  return { ...alert, event: { ...alert.event, reference: keyPageUrl(reportUrl, alert.keywatch.key.id) } };
}

/** A provider that hides the IP may still say the country (GitHub `actor_location`): that much geo, no network. */
function reportedCountry(country: string | null): GeoInfo | null {
  if (country === null) return null;
  return { country, region: null, city: null, latitude: null, longitude: null, asn: null, asOrg: null, network: 'unknown' };
}
