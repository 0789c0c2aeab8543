// Socket listeners run inside the socket's 'data' handling, so an exception thrown in one would
// escape to the process. `guarded` keeps it to the one connection: logged, and that connection
// ended, while every other session and agent goes on.

import type { Logger } from '@nester/common/log/logger';

export function guarded<A extends unknown[]>(
  log: Logger,
  what: string,
  onError: () => void,
  listener: (...args: A) => void,
): (...args: A) => void {
  return (...args: A) => {
    try {
      listener(...args);
    } catch (err) {
      log.error({ err: (err as Error)?.message }, `${what} failed; closing that connection`);
      try {
        onError();
      } catch {
        // nothing more can be done for this connection
      }
    }
  };
}
