import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { KeywatchError } from '@keywatch/errors';
import { z } from 'zod';

/**
 * A secret value (webhook URL, routing key, API key, SASL password). It never prints: String(), JSON,
 * util.inspect and template literals all give `[secret]`; only `reveal()` gives the value, at the one
 * place that sends it.
 */
export class Secret {
  readonly #value: string;
  readonly source: string;

  constructor(value: string, source: string) {
    this.#value = value;
    this.source = source;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return `[secret from ${this.source}]`;
  }
}

/**
 * Where a secret comes from: an environment variable or a file (Kubernetes secrets mount as files).
 * Never a literal: config files get committed and command lines show up in `ps`.
 */
export const secretRefSchema = z
  .union([
    z.object({ env: z.string().min(1) }).strict(),
    z.object({ file: z.string().min(1) }).strict(),
    z
      .string()
      .regex(/^(env|file):.+$/, 'must be "env:NAME", "file:/path", {env: NAME} or {file: /path}, never the secret itself'),
  ])
  .transform((ref) =>
    typeof ref === 'string' ? (ref.startsWith('env:') ? { env: ref.slice(4) } : { file: ref.slice(5) }) : ref,
  );

export type SecretRef = z.output<typeof secretRefSchema>;

/** A secret reference that cannot be read (variable unset, file missing or empty); names it, never a value. */
export class SecretError extends KeywatchError {
  constructor(message: string) {
    super(message, { expected: true, retriable: false });
  }
}

/** Reads the secret a reference points to. Errors name the variable or file, never a value. */
export function resolveSecret(ref: SecretRef, env: NodeJS.ProcessEnv = process.env): Secret {
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined || value === '') throw new SecretError(`environment variable ${ref.env} is not set`);
    return new Secret(value, `env ${ref.env}`);
  }
  let value: string;
  try {
    value = readFileSync(ref.file, 'utf8').trim();
  } catch (err) {
    throw new SecretError(`cannot read secret file ${ref.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (value === '') throw new SecretError(`secret file ${ref.file} is empty`);
  return new Secret(value, `file ${ref.file}`);
}
