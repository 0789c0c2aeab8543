// The converge test (issue #15): site.yml, with every role on one machine, onto a real Debian 12
// with systemd as PID 1 (systemd-nspawn --boot of the cached root, no network of its own: every
// package a role installs is in tests/base-packages.txt), driven through Ansible's
// community.docker.nsenter connection. Grafana cannot be installed here, so the machine gets a
// Grafana-shaped tree (/usr/share/grafana, /etc/grafana, /var/lib/grafana/plugins, a grafana user and
// a stand-in grafana-server unit that only holds Grafana's user and environment).
//
// Two scenarios, each on a fresh machine (tests/scenarios/*/hosts.yml): default (the roles' defaults
// where they work on one machine) and alternative (TLS nester enrolled through a pin, two listen
// addresses, terminal sessions on, collectors toggled). Phases, as molecule runs them: check mode on the fresh machine must not fail; converge; a second
// run changes nothing; check mode then changes nothing; tests/verify.yml checks the services, the
// units, the enrolment, the samples end to end and the files' owners and modes.

import { bootContainer, type Container, debianBaseImage, nspawnUnavailable } from '@nester/testing/nspawn';
import { release } from '@nester/release/release';
import { REPO } from '@nester/release/workspace';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { ANSIBLE_DIR, basePackages, changedTasks, recap, type Run, runIn } from './ansible';

// Generous: a cold cache builds the Debian root and the archives are built first (minutes on 2 busy cores).
jest.setTimeout(45 * 60_000);

const PLAYBOOK_TIMEOUT = 15 * 60_000;
const timings: Record<string, number> = {};
let work: string;
let releaseDir: string;

const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
  const started = Date.now();
  try {
    return await step();
  } finally {
    timings[name] = Math.round((Date.now() - started) / 100) / 10;
  }
};

/** What an existing Grafana leaves on a machine, as far as the grafana_nester role is concerned. */
const GRAFANA_STAND_IN = `
set -e
useradd --system --user-group --home-dir /usr/share/grafana --no-create-home --shell /usr/sbin/nologin grafana
mkdir -p /usr/share/grafana/bin /etc/grafana/provisioning /var/lib/grafana/plugins /var/log/grafana
printf '[paths]\\ndata = /var/lib/grafana\\nplugins = /var/lib/grafana/plugins\\n\\n[server]\\nhttp_port = 3000\\n' > /etc/grafana/grafana.ini
chown root:grafana /etc/grafana /etc/grafana/grafana.ini && chmod 0640 /etc/grafana/grafana.ini
chown -R grafana:grafana /var/lib/grafana /var/log/grafana
cat > /etc/systemd/system/grafana-server.service <<'UNIT'
[Unit]
Description=Stand-in for Grafana (not installable here): Grafana's user and environment, no server
[Service]
User=grafana
Group=grafana
ExecStart=/bin/sleep infinity
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now grafana-server
`;

/** Fails with the run's changed tasks and output when its recap for the container is not `expected`. */
function expectRecap(run: Run, expected: { changed?: number; failed: number }) {
  const found = recap(run.output, 'ct');
  const got = {
    code: run.code,
    unreachable: found?.unreachable,
    failed: found?.failed,
    ...(expected.changed === undefined ? {} : { changed: found?.changed }),
  };
  const wanted = { code: 0, unreachable: 0, ...expected };
  if (!isDeepStrictEqual(got, wanted))
    throw new Error(
      `expected ${JSON.stringify(wanted)}, got ${JSON.stringify(got)}\nchanged:\n${changedTasks(run.output).join('\n')}\n${run.output.slice(-20_000)}`,
    );
}

beforeAll(async () => {
  const unavailable = nspawnUnavailable();
  if (unavailable) throw new Error(`cannot boot a Debian container here: ${unavailable}`);
  work = mkdtempSync(join(tmpdir(), 'nester-converge-'));
  releaseDir = join(work, 'release');
  await timed('npm run release (archives and plugin zips)', async () => {
    await release({ repo: REPO, outDir: releaseDir });
    execFileSync(process.execPath, [join(REPO, 'grafana-plugins', 'build', 'package.js'), '--out', releaseDir], {
      stdio: 'ignore',
    });
  });
  await timed('Debian 12 base image (0 when cached)', () => debianBaseImage(basePackages()));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  process.stdout.write(`ansible converge, seconds: ${JSON.stringify(timings)}\n`);
});

/** A self-signed certificate for 127.0.0.1, as a site without a CA would make one. */
function selfSignedCertificate(dir: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-days',
      '2',
      '-keyout',
      join(dir, 'nester.key'),
      '-out',
      join(dir, 'nester.crt'),
    ],
    { stdio: 'ignore' },
  );
}

// Check mode is exercised on the default scenario only: the alternative adds converge, a second run
// and verify on the other sides of the switches (about 7 minutes fewer on a busy CI machine).
describe.each([
  { scenario: 'default', checkMode: true },
  { scenario: 'alternative', checkMode: false },
])('scenario $scenario', ({ scenario, checkMode }) => {
  let container: Container | undefined;
  let inventory: string;
  const playbook = (name: string, ...args: string[]) =>
    runIn('ansible-playbook', ['-i', inventory, name, ...args], PLAYBOOK_TIMEOUT);
  const step = <T>(name: string, run: () => Promise<T>) => timed(`${scenario}: ${name}`, run);

  beforeAll(async () => {
    const dir = join(work, scenario);
    const image = await debianBaseImage(basePackages());
    container = await step('unpack and boot', () =>
      bootContainer({ image: image.path, dir: join(dir, 'machine'), name: `nester-${scenario}`, network: 'private' }),
    );
    // apt's lists from the host: the roles' `apt: cache_valid_time` is then satisfied without a network.
    execFileSync('sh', [
      '-c',
      `cp /var/lib/apt/lists/*_dists_bookworm* "${container.root}/var/lib/apt/lists/" || true`,
    ]);
    await container.sh(GRAFANA_STAND_IN);
    selfSignedCertificate(join(dir, 'tls'));
    inventory = join(dir, 'hosts.yml');
    writeFileSync(
      inventory,
      readFileSync(join(ANSIBLE_DIR, 'tests', 'scenarios', scenario, 'hosts.yml'), 'utf8')
        .replaceAll('@PID@', String(container.pid))
        .replaceAll('@RELEASE@', releaseDir)
        .replaceAll('@TLS@', join(dir, 'tls')),
    );
  });

  // Whatever failed: the machine is powered off (killed after 30 s) and its root removed.
  afterAll(async () => {
    await container?.stop();
  });

  if (checkMode)
    test('site.yml in check mode on the fresh machine does not fail', async () => {
      const run = await step('check mode, fresh', () => playbook('playbooks/site.yml', '--check', '--diff'));
      expectRecap(run, { failed: 0 });
    });

  test('site.yml converges the machine: every role, in dependency order', async () => {
    const run = await step('converge', () => playbook('playbooks/site.yml'));
    expectRecap(run, { failed: 0 });
    expect(recap(run.output, 'ct')?.changed).toBeGreaterThan(0);
  });

  test('a second run changes nothing', async () => {
    const run = await step('second run', () => playbook('playbooks/site.yml'));
    expectRecap(run, { changed: 0, failed: 0 });
  });

  if (checkMode)
    test('check mode on the converged machine reports nothing to change', async () => {
      const run = await step('check mode, converged', () => playbook('playbooks/site.yml', '--check', '--diff'));
      expectRecap(run, { changed: 0, failed: 0 });
    });

  test('verify: services, units, harvester online in nester, samples in the adapter, files as documented', async () => {
    const run = await step('verify', () => playbook('tests/verify.yml'));
    expectRecap(run, { failed: 0 });
  });
});
