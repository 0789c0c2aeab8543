// JSON in, JSON out, and errors that tell the caller what to do.

import type { ErrorBody } from '@nester/contracts/nester/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '@nester/common/http/http-error';
import { readBody } from '@nester/common/http/read-body';
import { sendJson as sendJsonBody } from '@nester/common/http/respond';
import { hasUnstorableCharacters } from '../text/storable-text';

/** nester's API answers: UTF-8 JSON that no cache keeps (they carry sessions and credentials). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendJsonBody(res, status, body, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
}

/** Errors as `{"error": "<what to do>"}`; a connection whose answer has begun is cut instead. */
export function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error: message } satisfies ErrorBody);
}

export async function readJson(req: IncomingMessage, limitBytes = 64 * 1024): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type))
    throw new HttpError(415, 'send a JSON body with Content-Type: application/json');
  const body = await readBody(req, limitBytes, `request body is larger than ${limitBytes} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new HttpError(400, 'request body must be a JSON object');
  const bad = unstorableString(value);
  if (bad !== undefined)
    throw new HttpError(
      400,
      `request body: the string at ${bad} holds NUL (\\u0000) or a lone UTF-16 surrogate; send well-formed text`,
    );
  return value as Record<string, unknown>;
}

/**
 * Where in a parsed JSON value a string (or key) PostgreSQL would refuse sits, as a path like
 * `facts.os.name`; undefined when there is none. Iterative: JSON.parse accepts any nesting depth.
 */
export function unstorableString(value: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: '$' }];
  while (stack.length) {
    const { value: item, path } = stack.pop()!;
    if (typeof item === 'string') {
      if (hasUnstorableCharacters(item)) return path;
    } else if (item && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (hasUnstorableCharacters(key)) return `${path} (a key)`;
        stack.push({ value: child, path: Array.isArray(item) ? `${path}[${key}]` : `${path}.${key.slice(0, 40)}` });
      }
    }
  }
  return undefined;
}

/** The client address, for audit rows and logs. */
export function remoteAddress(req: IncomingMessage): string | null {
  return req.socket.remoteAddress ?? null;
}
