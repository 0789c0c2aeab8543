// GET /api/v1/recordings/:sessionId: a terminal session's asciicast v2 file, complete lines only
// (a live session's file grows while it is read; a crashed one may end mid-line), or a desktop
// session's RFB recording (@nester/contracts/nester/rfb-recording), whole records only.

import { readFile } from 'node:fs/promises';
import { recordingFileName } from '@nester/contracts/nester/recording-file';
import { HttpError } from '@nester/common/http/http-error';
import type { RouteContext } from '../http/router';
import { completeLines } from '../recording/asciicast-writer';
import { parseRfbRecording } from '@nester/contracts/nester/rfb-recording';
import { getSession } from '../store/sessions';
import type { ApiContext } from './context';

export function recordingRoute(api: ApiContext) {
  return async ({ res, params }: RouteContext): Promise<void> => {
    const session = await getSession(api.pool, params.sessionId);
    if (!session) throw new HttpError(404, `no session ${params.sessionId}`);
    if (!session.recordingPath)
      throw new HttpError(
        404,
        `session ${params.sessionId} has no recording (recordings were off, or it is someone's view of another session)`,
      );
    const desktop = session.kind === 'vnc';
    let content: Buffer;
    try {
      const file = await readFile(session.recordingPath);
      content = desktop ? file.subarray(0, parseRfbRecording(file).wholeLength) : completeLines(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new HttpError(
          404,
          `the recording of ${params.sessionId} was never written (the session did not connect) or was deleted`,
        );
      throw err;
    }
    res.writeHead(200, {
      'content-type': desktop ? 'application/x-nester-rfb-recording' : 'application/x-asciicast',
      'content-length': content.length,
      // Plain characters only (recordingFileName), so the quoted form needs no escaping.
      'content-disposition': `attachment; filename="${recordingFileName(session.hostname, session.id, desktop ? 'vnc' : 'terminal')}"`,
      'cache-control': 'no-store',
    });
    res.end(content);
  };
}
