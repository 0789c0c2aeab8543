// A logger that keeps what it is given, so tests can assert on what the agent logged.

import { createLogger, type Logger } from '@nester/common/log/logger';
import { Writable } from 'node:stream';

export function memoryLogger(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ name: 'test', level: 'debug', destination });
  return {
    log,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
}
