/** @jest-environment node */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { exitCodeFor, main } from './main';
import { ProvisioningError } from './provisioning';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-main-test-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test.each([
  ['not JSON', '{', /not-JSON\.json: /],
  ['no object', '[]', /expected a JSON object of plugin id to settings/],
  [
    'settings that are no object',
    '{"nester-fleet-app": null}',
    /the settings of nester-fleet-app must be a JSON object/,
  ],
])('a --provision file with %s is refused before the sandbox starts', async (_name, text, message) => {
  const file = path.join(dir, `${_name.replace(/\W+/g, '-')}.json`);
  fs.writeFileSync(file, text);
  const run = main(['--provision', file, '--data-dir', dir, '--listen-address', '127.0.0.1:0']);
  await expect(run).rejects.toThrow(ProvisioningError);
  await expect(run).rejects.toThrow(message);
  expect(exitCodeFor(await run.catch((err: unknown) => err))).toBe(2);
});
