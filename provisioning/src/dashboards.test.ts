import fs from 'node:fs';
import path from 'node:path';

import { DASHBOARD_FILES } from './dashboards';

// The JSON Grafana reads is generated from TypeScript typed with @grafana/schema (each panel's
// options and field config with the types Grafana generates from its panel schema, the queries
// with the datasource's own query type). An edit to the JSON alone, or to the sources without
// regenerating, fails here; `npm run lint`'s prettier check covers the files' formatting.
const DIR = path.resolve(__dirname, '..', 'dashboards', 'nester');

test('the dashboard files are exactly those the TypeScript sources generate', () => {
  const committed = fs.readdirSync(DIR).filter((file) => file.endsWith('.json'));
  expect(committed.sort()).toEqual(Object.keys(DASHBOARD_FILES).sort());
});

test.each(Object.keys(DASHBOARD_FILES))(
  '%s is what its source generates (else: npm run dashboards -w @nester/provisioning)',
  (file) => {
    const committed: unknown = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
    // Through JSON, as the generator writes it: undefined properties are left out.
    expect(committed).toEqual(JSON.parse(JSON.stringify(DASHBOARD_FILES[file]())));
  },
);
