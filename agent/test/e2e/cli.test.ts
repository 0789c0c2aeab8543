// The `harvester` binary as operators run it: --help and --version, mistakes refused in one line
// with exit code 2, and a collector's own flags set from the YAML config file.

import { type RunningHarvester, HARVESTER_BIN, scrape, startHarvester } from '@nester/testing/harvester';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

let dir: string;
let agent: RunningHarvester | undefined;

beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'harvester-cli-'))));
afterAll(async () => {
  await agent?.service.stop();
  rmSync(dir, { recursive: true, force: true });
});

function harvester(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { status, stdout, stderr } = spawnSync(process.execPath, [HARVESTER_BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return { status, stdout, stderr };
}

test('--help lists every flag, the collectors own with their defaults; --version the version', () => {
  const help = harvester(['--help']);
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/^usage: harvester \[flags\]\n/);
  expect(help.stdout).toContain('(default: :9100) [$HARVESTER_LISTEN_ADDRESS]');
  expect(help.stdout).toContain('--push.queue.max-size=SIZE');
  expect(help.stdout).toMatch(/--\[no-\]collector\.vmstat +Enable the vmstat collector \(default: enabled\)\./);
  expect(help.stdout).toContain('--collector.vmstat.fields=STRING');
  expect(help.stdout).toContain('(default: "^(oom_kill|pgpg|pswp|pg.*fault).*")');
  expect(help.stdout).toContain('--[no-]collector.cpu.guest');

  const enroll = harvester(['enroll', '--help']);
  expect(enroll.status).toBe(0);
  expect(enroll.stdout).toContain('--token=STRING');
  expect(enroll.stdout).toContain('[$HARVESTER_ENROLL_TOKEN]');

  const version = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')).version;
  expect(harvester(['--version']).stdout).toBe(`harvester ${version}\n`);
  expect(harvester(['version']).stdout).toBe(`harvester ${version}\n`);
});

test('mistakes exit 2 with one line saying what to do', () => {
  const refusals: [string[], string][] = [
    [['--web.listen-adress=:1'], 'unknown flag --web.listen-adress; did you mean --web.listen-address?'],
    [['--collector.vmstat.fields=(pg'], '--collector.vmstat.fields: invalid regular expression'],
    [['--collector.filesystem.mount-timeout=soon'], '--collector.filesystem.mount-timeout: "soon" is not a duration'],
    [
      ['--collector.netdev.device-include=^eth', '--collector.netdev.device-exclude=^lo'],
      '--collector.netdev.device-exclude and --collector.netdev.device-include are mutually exclusive',
    ],
    [['serve'], 'unexpected argument "serve"'],
    [['enroll', '--nester-url=https://nester.example.com'], 'both --nester-url and --token are required'],
  ];
  for (const [args, message] of refusals) {
    // Quiet logs: collectors are built (and may warn) before a later flag is refused.
    const quiet = args[0] === 'enroll' ? [] : ['--log.level=error'];
    const { status, stdout, stderr } = harvester([...args, ...quiet]);
    expect({ args, status, stdout }).toEqual({ args, status: 2, stdout: '' });
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  }
});

test('enrol: an answer that is JSON but not an object is refused in words, not with a TypeError', async () => {
  // Something that is not nester (or a broken proxy) answers `null`, with a refusal or a success status.
  let status = 403;
  const server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end('null'));
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const enroll = () =>
    new Promise<{ code: number | null; stderr: string }>((done) =>
      execFile(
        process.execPath,
        [HARVESTER_BIN, 'enroll', `--nester-url=${url}`, '--token=et_1.secret', `--state-dir=${join(dir, 'enrol')}`],
        { env: { PATH: process.env.PATH } },
        (err, _stdout, stderr) => done({ code: err ? (err.code as number) : 0, stderr }),
      ),
    );
  try {
    const refused = await enroll();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('nester refused the enrolment: HTTP 403');
    status = 201;
    const empty = await enroll();
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toContain('nester answered without a credential');
    expect(refused.stderr + empty.stderr).not.toContain('TypeError');
  } finally {
    server.close();
  }
});

test("a collector's own flags come from the YAML config file, below the command line", async () => {
  const file = join(dir, 'harvester.yaml');
  writeFileSync(
    file,
    ['collector:', '  disable-defaults: true', '  vmstat: true', '  vmstat:', "    fields: '^pgpgin$'", ''].join('\n'),
  );
  // A collector's switch and its options cannot both nest under its name: the file is refused.
  const refused = harvester([`--config.file=${file}`]);
  expect(refused.status).toBe(2);
  expect(refused.stderr).toContain('is not valid YAML: Map keys must be unique');

  writeFileSync(
    file,
    [
      'collector.disable-defaults: true',
      'collector.vmstat: true',
      'collector:',
      '  vmstat:',
      "    fields: '^pgpgin$'",
    ].join('\n'),
  );
  agent = await startHarvester([`--config.file=${file}`, '--collector.stat']);
  const text = await scrape(agent.url);
  expect(text.match(/^node_vmstat_\w+/gm)).toEqual(['node_vmstat_pgpgin']);
  expect(text).toMatch(/^node_boot_time_seconds /m); // stat, enabled on the command line
  expect(text).not.toMatch(/^node_load1 /m); // loadavg: off by the file's disable-defaults
});

test('check-config accepts a valid file and refuses a bad one with exit 2, starting nothing', () => {
  const good = join(dir, 'check-good.yaml');
  writeFileSync(
    good,
    ['web.listen-address: ["127.0.0.1:1"]', 'push.url: http://adapter:9201/api/v1/write', ''].join('\n'),
  );
  const ok = harvester(['check-config', `--config.file=${good}`]);
  expect(ok).toEqual({ status: 0, stdout: `harvester: configuration OK (${good})\n`, stderr: '' });

  const bad = join(dir, 'check-bad.yaml');
  const refusals: [string, string][] = [
    [
      'push.url: http://adapter:9201/api/v1/write\npush.queue.fsync: sometimes\n',
      '--push.queue.fsync must be always or never',
    ],
    ['web.listen-address: ["9100"]\n', '--web.listen-address "9100" is not host:port'],
    ['remote.vnc-address: localhost\n', '--remote.vnc-address must be host:port'],
    ['collector.vmstat.fields: "(pg"\n', '--collector.vmstat.fields: invalid regular expression'],
    ['web.listen-adress: ":1"\n', 'unknown key web.listen-adress'],
  ];
  for (const [text, message] of refusals) {
    writeFileSync(bad, text);
    const { status, stdout, stderr } = harvester(['check-config', `--config.file=${bad}`]);
    expect({ text, status, stdout }).toEqual({ text, status: 2, stdout: '' });
    expect(stderr).toContain(message);
  }
});
