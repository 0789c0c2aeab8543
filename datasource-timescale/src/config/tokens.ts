// Bearer tokens for the two roles: writers (remote_write) and readers (remote_read, query
// API). Tokens come from flags, environment or files (one per line, so secrets can stay out of
// process lists and be rotated by listing old and new). Comparison is constant-time: each
// candidate is hashed, and every configured token is compared whatever the outcome.

import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '@nester/common/config/flags';

export type Role = 'write' | 'read';

export class TokenSet {
  private readonly digests: Buffer[];
  constructor(tokens: string[]) {
    this.digests = tokens.map(digest);
  }

  get size(): number {
    return this.digests.length;
  }

  accepts(token: string): boolean {
    const candidate = digest(token);
    let match = false;
    for (const known of this.digests) match = timingSafeEqual(candidate, known) || match;
    return match;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Tokens given inline plus those read from files; blank lines and `#` comments are ignored. */
export function loadTokens(inline: string[], files: string[], role: Role, warn: (message: string) => void): TokenSet {
  const tokens = inline.map((token) => token.trim()).filter(Boolean);
  for (const file of files) {
    let text: string;
    try {
      const mode = statSync(file).mode;
      if (mode & 0o044) warn(`${role} token file ${file} is readable by other users; chmod 600 it`);
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(
        `cannot read ${role} token file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    const found = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    if (!found.length) throw new UsageError(`${role} token file ${file} holds no token`);
    tokens.push(...found);
  }
  for (const token of tokens) {
    if (token.length < 16) throw new UsageError(`a ${role} token is shorter than 16 characters; use a random one`);
  }
  return new TokenSet(tokens);
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
