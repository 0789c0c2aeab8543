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

test('the Harvester dashboard names its machine by harvester id, never by hostname', () => {
  const text = JSON.stringify(DASHBOARD_FILES['harvester.json']());
  const board = JSON.parse(text) as {
    templating: { list: { name: string; query: { label?: string; match?: string } }[] };
    panels: { type: string; options?: { harvester?: string } }[];
  };
  const variable = board.templating.list.find((v) => v.name === 'harvester');
  expect(variable?.query).toMatchObject({
    label: 'harvester_id',
    match: 'harvester_info{job="$job",instance="$instance"}',
  });
  const remote = board.panels.filter((p) => p.options?.harvester !== undefined);
  expect(remote.map((p) => [p.type, p.options?.harvester])).toEqual([
    ['nester-remotedesktop-panel', '$harvester'],
    ['nester-terminal-panel', '$harvester'],
  ]);
  expect(text).not.toMatch(/nodename/);
});
