import { redactString } from '@keywatch/secrets';
import type { Logger } from './types.ts';

export const CONFIGURED_SECRET = '[REDACTED:configured-secret]';

/** Parts of a configured secret shorter than this are not searched for on their own (too many false hits). */
const MIN_PART_LENGTH = 10;

export interface Redactor {
  /** The text without any configured secret (in the forms it could be echoed in) and without secret patterns. */
  text(text: string): string;
  /** A copy of a JSON-like value with every string cleaned by `text`. */
  value<T>(value: T): T;
}

/**
 * A redactor that knows our own secrets: routing keys, webhook URLs, API keys, signing secrets. A service
 * that echoes a request back in an error body (PagerDuty's 400 quotes the event) may quote a secret whole,
 * JSON- or URL-escaped, or only the token part of a URL; each of those forms is replaced, longest first.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = new Set<string>();
  for (const secret of secrets) for (const form of secretForms(secret)) if (form.length >= MIN_PART_LENGTH) forms.add(form);
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  const text = (input: string): string => {
    let out = input;
    for (const form of ordered) if (out.includes(form)) out = out.split(form).join(CONFIGURED_SECRET);
    return redactString(out).text;
  };
  const value = <T>(input: T): T => deepMap(input, text) as T;
  return { text, value };
}

function secretForms(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
  if (/^https?:\/\//i.test(secret)) {
    try {
      const url = new URL(secret);
      forms.push(`${url.host}${url.pathname}`, `${url.pathname}${url.search}`, url.pathname);
      for (const segment of url.pathname.split('/')) forms.push(segment);
      for (const [, v] of url.searchParams) forms.push(v);
    } catch {
      // not a URL after all: the whole value is still covered
    }
  }
  // An Elasticsearch API key is base64("id:key"): its decoded parts may be quoted too.
  if (/^[A-Za-z0-9+/]+=*$/.test(secret) && secret.length % 4 === 0) {
    const decoded = Buffer.from(secret, 'base64').toString('utf8');
    if (/^[\x20-\x7e]+$/.test(decoded)) forms.push(decoded, ...decoded.split(':'));
  }
  return forms;
}

function deepMap(value: unknown, text: (s: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return text(value);
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => deepMap(v, text, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepMap(v, text, depth + 1)]));
}

/** A logger whose messages and fields pass through the redactor. */
export function redactingLogger(logger: Logger, redactor: Redactor): Logger {
  return {
    info: (fields, message) => logger.info(redactor.value(fields), redactor.text(message)),
    warn: (fields, message) => logger.warn(redactor.value(fields), redactor.text(message)),
    error: (fields, message) => logger.error(redactor.value(fields), redactor.text(message)),
  };
}
