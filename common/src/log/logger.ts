// Structured JSON logs on stderr (pino). Anything that looks like a credential is redacted
// before it is written, whatever the caller passes.

import pino, { type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

const REDACTED_KEYS = ['token', 'password', 'secret', 'credential', 'authorization', 'ticket', 'apiToken', 'cookie'];

export interface LoggerOptions {
  name: string;
  level?: string;
  /** Where to write; defaults to stderr. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
}

export function createLogger({ name, level = 'info', destination }: LoggerOptions): Logger {
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new Error(`log level "${level}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  return pino(
    {
      name,
      level,
      base: { name },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `headers.${key}`, `req.headers.${key}`]),
        censor: '<redacted>',
      },
    },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
