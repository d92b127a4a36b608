import { ConfigError, readConfigFile, validateConfig } from '@keywatch/config';
import { DETECTOR_IDS, type Suppression } from '@keywatch/detect';
import { UsageError } from '@keywatch/errors';
import { z } from 'zod';

const entry = z
  .object({
    id: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    rules: z.array(z.enum(DETECTOR_IDS)).default([]),
    cidrs: z.array(z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'must be a CIDR such as 203.0.113.0/24')).default([]),
    asns: z.array(z.number().int().positive()).default([]),
    countries: z.array(z.string().regex(/^[A-Za-z]{2}$/, 'must be a 2-letter country code')).default([]),
    userAgents: z.array(z.string().min(1)).default([]),
    actions: z.array(z.string().min(1)).default([]),
    expires: z.union([z.string(), z.date()]).optional(),
    reason: z.string().min(1, 'say why (it shows up in audits)'),
  })
  .strict();

const fileSchema = z.object({ suppressions: z.array(entry).default([]) }).strict();

/**
 * Reads an allowlist file:
 *
 *   suppressions:
 *     - key: AKIAEXAMPLEKEY000001    # optional: omit for every key
 *       rules: [new_country]          # optional: omit for every rule
 *       countries: [PT]
 *       expires: 2026-12-31           # optional
 *       reason: Alice works from Lisbon in December
 */
export function loadSuppressions(path: string): Suppression[] {
  const parsed = validateConfig(fileSchema, readConfigFile(path), path);
  return parsed.suppressions.map((s, i) => {
    let expires: number | null = null;
    if (s.expires !== undefined) {
      const ms = s.expires instanceof Date ? s.expires.getTime() : Date.parse(s.expires);
      if (Number.isNaN(ms)) throw new ConfigError(path, [`suppressions[${i}].expires: not a date: ${String(s.expires)}`]);
      expires = Math.floor(ms / 1000);
    }
    return {
      id: s.id ?? `${path}#${i}`,
      key: s.key ?? null,
      rules: s.rules,
      cidrs: s.cidrs,
      asns: s.asns,
      countries: s.countries.map((c) => c.toUpperCase()),
      userAgents: s.userAgents.map((u) => u.toLowerCase()),
      actions: s.actions,
      expires,
      reason: s.reason,
    };
  });
}

/** `30d`, `12h`, `90m` → seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)([dhm])$/.exec(text.trim());
  if (!m) throw new UsageError(`--ttl ${text}: use a number and a unit, like 30d, 12h or 90m`);
  return Number(m[1]) * { d: 86400, h: 3600, m: 60 }[m[2] as 'd' | 'h' | 'm'];
}
