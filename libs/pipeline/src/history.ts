import { type DetectInput, isAuthorizationFailure, userAgentFamily } from '@keywatch/detect';
import { ipPrefix, isoMillis } from '@keywatch/event';
import { type HistoryEvent, historyLabel } from '@keywatch/state';

/** Where the detect stage reports each event for the report history (`KeyHistory` in embedded mode). */
export interface HistorySink {
  record(event: HistoryEvent): void;
}

/** What the report history keeps of one enriched event: counts by key-local day and hour, and the values used. */
export function historyEvent(input: DetectInput): HistoryEvent {
  const { event, geo, time, key } = input;
  const values: HistoryEvent['values'] = [{ kind: 'action', value: event.action, label: event.accessClass }];
  if (geo?.country) values.push({ kind: 'country', value: geo.country, label: null });
  if (geo?.asn != null) values.push({ kind: 'asn', value: String(geo.asn), label: historyLabel(geo.asOrg) });
  if (event.sourceIp !== null) values.push({ kind: 'network', value: ipPrefix(event.sourceIp) ?? event.sourceIp, label: null });
  else if (event.sourceAddress !== null) values.push({ kind: 'network', value: event.sourceAddress, label: null });
  if (event.userAgent !== null) {
    values.push({ kind: 'client', value: userAgentFamily(event.userAgent), label: historyLabel(event.userAgent) });
  }
  return {
    keyId: event.credentialId,
    time: Math.floor(isoMillis(event.time) / 1000),
    localDate: time.localDate,
    localHour: time.localHour,
    failure: event.outcome === 'failure',
    authFailure: event.outcome === 'failure' && isAuthorizationFailure(event.errorCode),
    write: event.accessClass === 'write',
    values,
    info: key,
  };
}
