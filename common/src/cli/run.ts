// The outer shell of every binary: `--version`, and exit codes: usage mistakes print one line
// and exit 2 (as kingpin does), anything else prints what failed and exits 1.

import { UsageError } from '../config/flags';

export interface MainOptions {
  /** When given, `<program> --version` and `<program> version` print `<program> <version>`. */
  version?: () => string;
}

/** Runs `main` with the command-line arguments (after the program name). */
export function runMain(program: string, main: (argv: string[]) => Promise<void>, options: MainOptions = {}): void {
  const argv = process.argv.slice(2);
  const run = async () => {
    if (options.version && (argv[0] === '--version' || argv[0] === 'version')) {
      process.stdout.write(`${program} ${options.version()}\n`);
      return;
    }
    await main(argv);
  };
  run().catch((err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${program}: error: ${err.message}, try --help\n`);
      process.exit(2);
    }
    process.stderr.write(`${program}: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.NESTER_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  });
}
