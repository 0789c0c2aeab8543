// A small method + path router: `/api/v1/harvesters/:id/revoke`. Enough for a dozen routes,
// with 404/405 answered the way an API client expects. It matches the segments of the path as
// sent (request-target.ts has refused dot segments and encoded separators), never a normalised one.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '@nester/common/http/http-error';
import type { RequestTarget } from './request-target';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}

export type Handler = (ctx: RouteContext) => Promise<void> | void;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

export class Router {
  private routes: Route[] = [];

  add(method: string, path: string, handler: Handler): this {
    this.routes.push({ method, segments: path.split('/').filter(Boolean), handler });
    return this;
  }

  /** Finds the handler for a request; throws 404/405 HttpErrors when none fits. */
  match(method: string, target: RequestTarget): { handler: Handler; params: Record<string, string> } {
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, target.segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method) return { handler: route.handler, params };
    }
    if (pathMatched) throw new HttpError(405, `${method} is not supported on ${target.path}`);
    throw new HttpError(404, `no such endpoint: ${target.path}`);
  }
}

/** Params come out already decoded (request-target.ts decodes each segment once). */
function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) params[pattern[i].slice(1)] = parts[i];
    else if (pattern[i] !== parts[i]) return undefined;
  }
  return params;
}
