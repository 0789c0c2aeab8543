// The roles' static checks: ansible-lint's production profile, and each role's argument specs
// documenting exactly its defaults (prometheus-community's lint_arguments_spec.sh); then that the
// specs really type-check (a bad choice stops the play before any task, saying what is allowed).

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ANSIBLE_DIR, runIn } from './ansible';

jest.setTimeout(15 * 60_000);

const ROLES = join(ANSIBLE_DIR, 'roles');
const roles = readdirSync(ROLES).sort();

test('every role of the issue is there', () => {
  expect(roles).toEqual([
    'grafana_nester',
    'harvester',
    'nester',
    'nester_release',
    'prometheus',
    'timescale_adapter',
    'timescaledb',
  ]);
});

test.each(roles)("%s: meta/argument_specs.yml documents exactly the role's defaults, with the same values", (role) => {
  const defaults = (parse(readFileSync(join(ROLES, role, 'defaults', 'main.yml'), 'utf8')) ?? {}) as Record<
    string,
    unknown
  >;
  const specs = parse(readFileSync(join(ROLES, role, 'meta', 'argument_specs.yml'), 'utf8')) as {
    argument_specs: { main: { options: Record<string, { default?: unknown; required?: boolean }> } };
  };
  const options = specs.argument_specs.main.options;
  const optional = Object.keys(options).filter((name) => !options[name].required);
  expect(optional.sort()).toEqual(Object.keys(defaults).sort());
  for (const name of optional) expect({ name, value: options[name].default }).toEqual({ name, value: defaults[name] });
});

test('ansible-lint --profile production passes', async () => {
  const run = await runIn('ansible-lint', ['--offline', '--profile', 'production', '--nocolor'], 12 * 60_000);
  expect({ code: run.code, output: run.output }).toEqual({ code: 0, output: expect.stringContaining('Passed') });
});

test('argument specs type-check: a value outside the choices stops the play, naming the allowed ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nester-ansible-specs-'));
  try {
    const play = join(dir, 'play.yml');
    writeFileSync(play, '- hosts: localhost\n  gather_facts: false\n  roles: [harvester]\n');
    const run = await runIn(
      'ansible-playbook',
      ['-i', 'localhost,', '-c', 'local', play, '-e', 'harvester_log_level=bogus'],
      5 * 60_000,
    );
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('harvester_log_level must be one of: debug, info, warn, error');
    // Validation comes first: nothing of the role ran.
    expect(run.output).not.toContain('Preflight');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The prometheus role's preflight, alone (its systemd assert satisfied): bad input stops the play with
// what to do, before anything is written; good input passes.
async function prometheusPreflight(vars: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'nester-ansible-prometheus-'));
  try {
    writeFileSync(join(dir, 'hosts.yml'), 'all:\n  children:\n    harvesters:\n      hosts:\n        web-1:\n');
    writeFileSync(
      join(dir, 'play.yml'),
      [
        '- hosts: localhost',
        '  gather_facts: false',
        '  vars: { ansible_facts: { service_mgr: systemd } }',
        '  tasks:',
        '    - { ansible.builtin.include_role: { name: prometheus, tasks_from: preflight } }',
        '',
      ].join('\n'),
    );
    return await runIn(
      'ansible-playbook',
      ['-i', join(dir, 'hosts.yml'), '-c', 'local', join(dir, 'play.yml'), '-e', JSON.stringify(vars)],
      5 * 60_000,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('prometheus preflight passes a site that scrapes its harvesters and writes to the adapter', async () => {
  const run = await prometheusPreflight({
    prometheus_remote_write_url: 'https://metrics.example.net:9201/api/v1/write',
    prometheus_remote_write_bearer_token: 'write-token-0123456789',
    prometheus_config_flags_extra: { 'web.enable-lifecycle': true },
  });
  expect({ code: run.code, output: run.output }).toEqual({ code: 0, output: expect.stringMatching(/failed=0/) });
});

test.each([
  [{ prometheus_web_external_url: 'https://prometheus.example.net/a b' }, 'cannot carry: web.external-url'],
  [{ prometheus_harvesters_group: 'nodes' }, "set it to '' to scrape only prometheus_scrape_configs"],
  [{ prometheus_scrape_configs: [{ job_name: 'node' }] }, 'Two scrape jobs share a job_name'],
  [{ prometheus_storage_tsdb_retention_time: '15 days' }, 'a duration such as 15d or 12h30m'],
  [{ prometheus_remote_write_bearer_token: 'write-token-0123456789' }, 'needs it'],
])('prometheus preflight refuses %j, saying what to do', async (vars, message) => {
  const run = await prometheusPreflight(vars);
  expect({ code: run.code, failed: /failed=1/.test(run.output) }).toEqual({ code: 2, failed: true });
  expect(run.output).toContain(message);
});
