import type { Logger } from './types.ts';

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** JSON lines on stderr, for when the host application passes no logger. */
export function stderrLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  const write = (level: string) => (fields: Record<string, unknown>, message: string) =>
    void stream.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields })}\n`);
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
