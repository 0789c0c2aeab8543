// A logger whose lines a test can read, to check what the adapter says (e.g. a flag's old and new value).

import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@nester/common/log/logger';

export interface CapturedLog {
  log: Logger;
  /** The `msg` of every line so far. */
  messages(): string[];
}

export function capturedLog(name = 'adapter-test'): CapturedLog {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return {
    log: createLogger({ name, level: 'info', destination }),
    messages: () => lines.map((line) => (JSON.parse(line) as { msg?: string }).msg ?? ''),
  };
}
