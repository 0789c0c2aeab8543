// Writes dashboards/nester/*.json from their TypeScript sources (npm run dashboards), formatted
// as the repository's prettier settings say so that `npm run lint` leaves them as they are.
import fs from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';

import { DASHBOARD_FILES } from './dashboards';

export async function generate(outDir: string): Promise<string[]> {
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const [file, build] of Object.entries(DASHBOARD_FILES)) {
    const filepath = path.join(outDir, file);
    const options = (await prettier.resolveConfig(filepath)) ?? {};
    fs.writeFileSync(filepath, await prettier.format(JSON.stringify(build()), { ...options, filepath }));
    written.push(filepath);
  }
  return written;
}
