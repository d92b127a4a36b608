import { isIp } from '@keywatch/event';
import { cap } from './fields.ts';

export interface CallerAddress {
  sourceIp: string | null;
  sourceAddress: string | null;
}

const NONE: CallerAddress = { sourceIp: null, sourceAddress: null };

/**
 * Splits a logged caller address into a real IP (`sourceIp`, fit for geo/ASN) or anything else as
 * logged (`AWS Internal`, `lambda.amazonaws.com`, `private`, `06.237.252.245`). Ports are dropped.
 */
export function callerAddress(raw: string | null): CallerAddress {
  if (raw === null) return NONE;
  const value = raw.trim();
  if (value === '' || value === '-') return NONE;
  const ip = withoutPort(value);
  return ip !== null ? { sourceIp: ip, sourceAddress: null } : { sourceIp: null, sourceAddress: cap(value) };
}

function withoutPort(value: string): string | null {
  if (isIp(value)) return value;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed?.[1] !== undefined && isIp(bracketed[1])) return bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(value);
  if (v4WithPort?.[1] !== undefined && isIp(v4WithPort[1])) return v4WithPort[1];
  return null;
}

/** Left-most valid IP of an `X-Forwarded-For` list: the original client, as far as the proxies say. */
export function firstForwardedIp(raw: string | null): string | null {
  if (raw === null) return null;
  for (const part of raw.split(',')) {
    const ip = withoutPort(part.trim());
    if (ip !== null) return ip;
  }
  return null;
}
