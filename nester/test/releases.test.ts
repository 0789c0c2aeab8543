// nester serve --releases.dir: install.sh and the harvester archives for any machine, no token;
// the release info for the fleet app behind the API token; and nothing but the catalog's own
// files reachable, whatever path a client sends (seeded hostile targets).

import { seeded } from '@nester/testing/random';
import { selfSignedCertificate } from '@nester/testing/certificate';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { selfSignedPins } from '../src/releases/trust';
import { startTestNester, type TestNester } from './support/nester';
import { httpRequest, rawExchange } from './support/raw-http';

const INSTALL_SH = resolve(__dirname, '../../scripts/release/files/install.sh');
const SECRET = 'this text lives outside the releases folder';

let work: string;
let releases: string;
let archive: Buffer;
let sha256: string;
let nester: TestNester;
let bare: TestNester;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'nester-releases-'));
  releases = join(work, 'releases');
  mkdirSync(releases);
  writeFileSync(join(work, 'secret.txt'), SECRET);
  archive = seeded(14).bytes(200_000);
  sha256 = createHash('sha256').update(archive).digest('hex');
  const put = (name: string, body: string | Buffer) => writeFileSync(join(releases, name), body);
  put('harvester-0.1.0-linux-x64.tar.gz', archive);
  put('harvester-0.1.0-linux-x64.tar.gz.sha256', `${sha256}  harvester-0.1.0-linux-x64.tar.gz\n`);
  // Older, a pre-release of the newest, and files that must never be served:
  put('harvester-0.0.9-linux-x64.tar.gz', 'old');
  put('harvester-0.0.9-linux-x64.tar.gz.sha256', `${'0'.repeat(64)}  harvester-0.0.9-linux-x64.tar.gz\n`);
  put('harvester-0.1.0-rc.1-linux-x64.tar.gz', 'rc');
  put('harvester-0.1.0-rc.1-linux-x64.tar.gz.sha256', `${'1'.repeat(64)}  harvester-0.1.0-rc.1-linux-x64.tar.gz\n`);
  put('harvester-9.9.9-linux-x64.tar.gz', 'no checksum beside it');
  put('harvester-8.8.8-linux-x64.tar.gz', 'a checksum naming another file');
  put('harvester-8.8.8-linux-x64.tar.gz.sha256', `${'2'.repeat(64)}  other.tar.gz\n`);
  put('notes.txt', 'not a release');
  symlinkSync(join(work, 'secret.txt'), join(releases, 'harvester-7.7.7-linux-x64.tar.gz'));
  put('harvester-7.7.7-linux-x64.tar.gz.sha256', `${'3'.repeat(64)}  harvester-7.7.7-linux-x64.tar.gz\n`);
  put('install.sh', readFileSync(INSTALL_SH));
  nester = await startTestNester({ releasesDir: releases });
  bare = await startTestNester();
});

afterAll(async () => {
  await nester?.stop();
  await bare?.stop();
  rmSync(work, { recursive: true, force: true });
});

test('GET /install.sh: the script with this nester, the newest release and its checksum; valid sh, shellcheck-clean', async () => {
  const res = await fetch(`${nester.url}/install.sh`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/x-shellscript; charset=utf-8');
  const script = await res.text();
  expect(script).toContain(`\nNESTER_URL='${nester.url}'\n`);
  expect(script).toContain("\nHARVESTER_VERSION='0.1.0'\n");
  expect(script).toContain(`\nHARVESTER_SHA256_LINUX_X64='${sha256}'\n`);
  expect(script).not.toContain('@NESTER_SETTINGS@');
  expect(script).not.toMatch(/NESTER_PIN_SHA256='[0-9a-f]/); // plain HTTP: no pin
  const file = join(work, 'served-install.sh');
  writeFileSync(file, script);
  expect(spawnSync('sh', ['-n', file]).status).toBe(0);
  const lint = spawnSync('shellcheck', [file], { encoding: 'utf8' });
  expect({ status: lint.status, out: lint.stdout }).toEqual({ status: 0, out: '' });
  // Behind a proxy, the URL the client used (Host) when --public-url is not set.
  const proxied = await rawExchange(
    new URL(nester.url).port as unknown as number,
    httpRequest('GET', '/install.sh', { Host: 'nester.example.com:8443' }).replace('Host: 127.0.0.1\r\n', ''),
  );
  expect(proxied.body).toContain("NESTER_URL='http://nester.example.com:8443'");
});

test('GET /releases/<file>: the archive and its checksum, no token; HEAD gives the length', async () => {
  const got = await fetch(`${nester.url}/releases/harvester-0.1.0-linux-x64.tar.gz`);
  expect(got.status).toBe(200);
  expect(Buffer.from(await got.arrayBuffer()).equals(archive)).toBe(true);
  const sum = await fetch(`${nester.url}/releases/harvester-0.1.0-linux-x64.tar.gz.sha256`);
  expect(await sum.text()).toBe(`${sha256}  harvester-0.1.0-linux-x64.tar.gz\n`);
  const head = await fetch(`${nester.url}/releases/harvester-0.1.0-linux-x64.tar.gz`, { method: 'HEAD' });
  expect(head.headers.get('content-length')).toBe(String(archive.length));
  for (const name of [
    'harvester-9.9.9-linux-x64.tar.gz',
    'harvester-8.8.8-linux-x64.tar.gz',
    'harvester-7.7.7-linux-x64.tar.gz',
    'notes.txt',
    'install.sh',
  ]) {
    const refused = await fetch(`${nester.url}/releases/${name}`);
    expect({ name, status: refused.status }).toEqual({ name, status: 404 });
  }
  const post = await fetch(`${nester.url}/releases/harvester-0.1.0-linux-x64.tar.gz`, { method: 'POST' });
  expect(post.status).toBe(405);
});

test('GET /api/v1/releases needs the API token and lists the newest release', async () => {
  expect((await fetch(`${nester.url}/api/v1/releases`)).status).toBe(401);
  const { status, body } = await nester.api('GET', '/api/v1/releases');
  expect(status).toBe(200);
  expect(body).toEqual({
    harvester: {
      version: '0.1.0',
      archives: [{ arch: 'linux-x64', file: 'harvester-0.1.0-linux-x64.tar.gz', sha256, bytes: archive.length }],
    },
    installScriptUrl: `${nester.url}/install.sh`,
    selfSigned: null,
  });
});

test('without --releases.dir: 404s that say how to serve releases, and an empty release info', async () => {
  const res = await fetch(`${bare.url}/install.sh`);
  expect(res.status).toBe(404);
  expect(((await res.json()) as { error: string }).error).toContain('start it with --releases.dir');
  expect((await bare.api('GET', '/api/v1/releases')).body).toEqual({
    harvester: null,
    installScriptUrl: null,
    selfSigned: null,
  });
});

test('hostile targets reach nothing outside the catalog: a 4xx each, the secret never answered (seeded)', async () => {
  const port = Number(new URL(nester.url).port);
  const rng = seeded(1414);
  const pieces = [
    '..',
    '.',
    '%2e%2e',
    '%2E%2e%2F',
    '..%2f',
    '%2f',
    '%5c',
    '..\\',
    '%00',
    '%',
    '%zz',
    '//',
    'secret.txt',
    'harvester-0.1.0-linux-x64.tar.gz',
    'harvester-7.7.7-linux-x64.tar.gz',
    'install.sh',
    '~',
    '*',
    ';',
    '?x=/../',
    '#',
    '\u00e9',
    '%c0%ae%c0%ae',
    '%252e%252e',
    'releases',
    work.slice(1),
  ];
  const targets = [
    '/releases/../secret.txt',
    '/releases/..%2fsecret.txt',
    '/releases/%2e%2e/secret.txt',
    `/releases/${encodeURIComponent(join(work, 'secret.txt'))}`,
    '/releases//etc/passwd',
    '/releases/harvester-7.7.7-linux-x64.tar.gz',
    '/install.sh/../secret.txt',
    'http://127.0.0.1/releases/../../secret.txt',
    '/releases/' + 'a'.repeat(9000),
  ];
  for (let i = 0; i < 300; i++) {
    const segments = Array.from({ length: rng.between(1, 4) }, () => rng.pick(pieces));
    targets.push(`/${rng.chance(0.7) ? 'releases/' : ''}${segments.join(rng.chance(0.5) ? '/' : '')}`);
  }
  for (const target of targets) {
    const method = rng.pick(['GET', 'HEAD', 'GET', 'POST']);
    const answer = await rawExchange(port, Buffer.from(httpRequest(method, target), 'latin1'));
    const served =
      answer.status === 200 &&
      /^\/(releases\/harvester-0\.1\.0-linux-x64\.tar\.gz|install\.sh)$/.test(target.replace(/[?#].*$/s, ''));
    if (!served)
      expect({ target, status: answer.status, ok: answer.status! >= 400 && answer.status! < 500 }).toEqual({
        target,
        status: answer.status,
        ok: true,
      });
    expect(answer.body).not.toContain(SECRET);
  }
  expect((await fetch(`${nester.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${nester.url}/releases/harvester-0.1.0-linux-x64.tar.gz.sha256`)).status).toBe(200);
});

test('a self-signed certificate gives the agent its fingerprint and curl its key pin; a CA-issued one neither', () => {
  const dir = join(work, 'tls');
  mkdirSync(dir);
  const { certFile } = selfSignedCertificate(dir);
  const pem = readFileSync(certFile);
  const pins = selfSignedPins(pem)!;
  expect(pins.pinSha256).toBe(new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase());
  const curlPin = execFileSync(
    'sh',
    [
      '-c',
      `openssl x509 -in ${certFile} -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`,
    ],
    { encoding: 'utf8' },
  ).trim();
  expect(pins.curlPin).toBe(`sha256//${curlPin}`);

  // A leaf signed by a CA of our own is not self-signed.
  const ca = join(dir, 'ca');
  mkdirSync(ca);
  const { certFile: caCert, keyFile: caKey } = selfSignedCertificate(ca);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=nester',
    '-keyout',
    join(dir, 'leaf.key'),
    '-out',
    join(dir, 'leaf.csr'),
  );
  openssl(
    'x509',
    '-req',
    '-in',
    join(dir, 'leaf.csr'),
    '-CA',
    caCert,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-days',
    '1',
    '-out',
    join(dir, 'leaf.pem'),
  );
  expect(selfSignedPins(readFileSync(join(dir, 'leaf.pem')))).toBeNull();
});
