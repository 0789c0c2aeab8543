/** Quotes a word for a POSIX shell only when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The one line an operator runs on a new machine (docs/nester-api.md). */
export function installCommand(nesterUrl: string, token: string): string {
  return ['harvester', 'enroll', '--nester-url', shellQuote(nesterUrl), '--token', shellQuote(token)].join(' ');
}
