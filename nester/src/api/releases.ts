// The release folder over HTTP (nester serve --releases.dir): GET /install.sh and
// GET /releases/<file> for any machine, no token (nothing secret in them), and
// GET /api/v1/releases for the fleet app (behind the API token, as every /api/v1 read).

import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ReleasesInfo } from '@nester/contracts/nester/api';
import { HttpError } from '@nester/common/http/http-error';
import { sendJson } from '../http/respond';
import type { Handler } from '../http/router';
import { renderInstallScript } from '../releases/install-script';
import type { ReleaseShelf } from '../releases/shelf';
import type { ApiContext } from './context';

const NO_RELEASES = 'nester serves no releases: start it with --releases.dir DIR (the folder npm run release writes)';

export function installScriptRoute(api: ApiContext, shelf: ReleaseShelf | undefined): Handler {
  return async ({ req, res }) => {
    if (!shelf) throw new HttpError(404, NO_RELEASES);
    const catalog = await shelf.catalog();
    const file = catalog.files.get('install.sh');
    if (!file) throw new HttpError(404, 'install.sh is not in --releases.dir: copy it there from the release');
    const baseUrl = shelf.baseUrl(req, api.publicUrl);
    const script = renderInstallScript(await readSmall(file.path, 1024 * 1024), baseUrl, await shelf.info(baseUrl));
    const body = Buffer.from(script, 'utf8');
    res.writeHead(200, {
      'Content-Type': 'text/x-shellscript; charset=utf-8',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
    });
    res.end(body);
  };
}

export function releaseFileRoute(shelf: ReleaseShelf | undefined): Handler {
  return async ({ req, res, params }) => {
    if (!shelf) throw new HttpError(404, NO_RELEASES);
    // A name looked up in the catalog, never joined into a path.
    const file = params.file === 'install.sh' ? undefined : (await shelf.catalog()).files.get(params.file);
    if (!file)
      throw new HttpError(404, `no release file named ${params.file.slice(0, 100)}; GET /api/v1/releases lists them`);
    const handle = await open(file.path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => {
      throw new HttpError(404, 'that release file is gone; fetch install.sh again');
    });
    try {
      const { size } = await handle.stat();
      res.writeHead(200, {
        'Content-Type': file.contentType,
        'Content-Length': size,
        'Cache-Control': 'public, max-age=300',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = handle.createReadStream({ start: 0, end: Math.max(0, size - 1), autoClose: false });
      await new Promise<void>((resolve) => {
        stream.on('error', () => res.destroy());
        res.on('close', () => {
          stream.destroy();
          resolve();
        });
        if (size === 0) res.end();
        else stream.pipe(res);
      });
    } finally {
      await handle.close();
    }
  };
}

export function releasesInfoRoute(api: ApiContext, shelf: ReleaseShelf | undefined): Handler {
  return async ({ req, res }) => {
    const info: ReleasesInfo = shelf
      ? await shelf.info(shelf.baseUrl(req, api.publicUrl))
      : { harvester: null, installScriptUrl: null, selfSigned: null };
    sendJson(res, 200, info);
  };
}

async function readSmall(path: string, limit: number): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const { size } = await handle.stat();
    if (size > limit) throw new Error(`${path} is larger than ${limit} bytes; is it really install.sh?`);
    return (await handle.readFile()).toString('utf8');
  } finally {
    await handle.close();
  }
}
