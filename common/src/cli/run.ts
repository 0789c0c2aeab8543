// The outer shell of every binary: usage mistakes print one line and exit 2 (as kingpin
// does), anything else prints what failed and exits 1.

import { UsageError } from '../config/flags';

export function runMain(program: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${program}: error: ${err.message}, try --help\n`);
      process.exit(2);
    }
    process.stderr.write(`${program}: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.NESTER_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  });
}
