/** Accessors over raw demo records (CloudTrail or GitHub audit), for the tests. */
// biome-ignore lint/suspicious/noExplicitAny: raw provider records are untyped JSON
export type RawRecord = Record<string, any>;

export function eventId(r: RawRecord): string {
  return r.eventID ?? r._document_id;
}

export function keyIdOf(r: RawRecord): string {
  return r.userIdentity?.accessKeyId ?? `token:${r.token_id}`;
}

export function timeOf(r: RawRecord): number {
  return r.eventTime !== undefined ? Date.parse(r.eventTime) : r['@timestamp'];
}

export function ipOf(r: RawRecord): string {
  return r.sourceIPAddress ?? r.actor_ip;
}

export function failed(r: RawRecord): boolean {
  return r.errorCode !== undefined || (r.status_code !== undefined && r.status_code >= 400);
}

/** True for calls that change something (CloudTrail readOnly=false, GitHub non-GET). */
export function isWrite(r: RawRecord): boolean {
  return r.readOnly === false || (r.request_method !== undefined && r.request_method !== 'GET');
}
