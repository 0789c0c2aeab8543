import { join } from 'node:path';
import { buildVersion } from '@nester/common/build/version';

/** The agent's version: injected into release bundles, else from package.json (dist/src/version.js → ../../package.json). */
export const VERSION: string = buildVersion(join(__dirname, '..', '..', 'package.json'));
