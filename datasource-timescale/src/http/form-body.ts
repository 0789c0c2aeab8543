// A POST body's form fields as Go's http.Request.ParseForm reads them, which is what Prometheus'
// handlers see: only an application/x-www-form-urlencoded body (any case, with parameters such
// as charset) holds fields; any other content type, or none, leaves the body unread as a form
// and the query string alone counts — no error (Prometheus 2.42 answers a text/plain body
// `query=1` with "no expression found", and `?query=2` with 2).

import type { IncomingMessage } from 'node:http';
import { readBody } from '@nester/common/http/read-body';

export const FORM_BODY_LIMIT = 1 << 20;

/** The url-encoded body of a POST, or undefined (not a POST, or not a form). */
export async function formBody(req: IncomingMessage): Promise<string | undefined> {
  if (req.method !== 'POST') return undefined;
  // Read whatever the type: the connection stays usable, and the size limit holds for all.
  const body = await readBody(req, FORM_BODY_LIMIT, 'form body larger than 1 MiB');
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded' ? body.toString('utf8') : undefined;
}
