#!/usr/bin/env node
/* global console, performance, document */
// Fleet page load at fleet scale: N simulated agents (default 10,000) enrolled in a real nester,
// health samples for every one of them in a real timescale-adapter (both on embedded PostgreSQL),
// the sandbox provisioned from provisioning/ as Grafana would be, and Debian's Chromium loading the
// Fleet page. Prints the API calls the page makes (median of repeated runs) and the page's times to
// rows, to health columns and to the fleet-wide summary.
// Usage: npm run bench:fleet-page [-- N]   (after npm run build)
const { execFileSync, spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { encodeWriteRequest } = require('@nester/common/prompb/write');
const { snappyCompress } = require('@nester/common/prompb/snappy');

const AGENTS = Number(process.argv[2] ?? process.env.BENCH_AGENTS ?? 10_000);
const RUNS = 5;
const repo = path.resolve(__dirname, '..', '..');
const bin = {
  adapter: path.join(repo, 'datasource-timescale', 'bin', 'timescale-adapter.js'),
  nester: path.join(repo, 'nester', 'bin', 'nester.js'),
  sandbox: path.join(repo, 'grafana-plugins', 'sandbox', 'bin', 'sandbox.js'),
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nester-bench-fleet-page-'));
fs.chmodSync(dir, 0o711); // the embedded PostgreSQL runs as `postgres` when run as root
const children = [];

function start(name, args, env = {}) {
  const log = fs.openSync(path.join(dir, `${name}.log`), 'a');
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  children.push(child);
  return child;
}

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function until(what, probe, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`${what} not within ${timeoutMs / 1000} s; logs in ${dir}`);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => (value === undefined ? 'not requested' : `${value.toFixed(0)} ms`);

async function timed(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function series(name, labels, samples) {
  const all = { __name__: name, ...labels };
  return {
    labels: Object.keys(all)
      .sort()
      .map((key) => ({ name: key, value: all[key] })),
    samples: samples.map(([timestamp, value]) => ({ timestamp, value })),
  };
}

/** What the agent pushes for the health columns, one sample a minute (the same figures each time). */
function healthSeries(id, i, times) {
  const labels = { harvester_id: id, job: 'harvester', instance: `sim-${i}:9100` };
  const busy = (i % 97) / 100;
  const gauge = (name, value, more = {}) =>
    series(
      name,
      { ...labels, ...more },
      times.map((t) => [t, value]),
    );
  const disk = { device: '/dev/vda1', fstype: 'ext4', mountpoint: '/' };
  return [
    ...[0, 1].map((cpu) =>
      series(
        'node_cpu_seconds_total',
        { ...labels, cpu: String(cpu), mode: 'idle' },
        times.map((t) => [t, ((t - times[0]) / 1000) * (1 - busy)]),
      ),
    ),
    gauge('node_memory_MemTotal_bytes', 8e9),
    gauge('node_memory_MemAvailable_bytes', 8e9 * (1 - ((i * 7) % 100) / 100)),
    gauge('node_filesystem_size_bytes', 1e11, disk),
    gauge('node_filesystem_free_bytes', 1e11 * (1 - ((i * 13) % 100) / 100), disk),
    gauge('node_filesystem_avail_bytes', 1e11 * (1 - ((i * 13) % 100) / 100), disk),
    gauge('node_load1', (i % 40) / 10),
    gauge('node_boot_time_seconds', Math.floor(times[0] / 1000) - 86400),
    series(
      'node_time_seconds',
      labels,
      times.map((t) => [t, t / 1000]),
    ),
  ];
}

async function main() {
  const ports = { adapter: await freePort(), nester: await freePort(), sandbox: await freePort() };
  const url = (port) => `http://127.0.0.1:${port}`;
  const secret = (name) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    return file;
  };
  const writeToken = secret('write.token');
  const readToken = secret('read.token');
  console.error('starting the timescale-adapter and nester (embedded PostgreSQL)…');
  start('adapter', [
    bin.adapter,
    `--web.listen-address=127.0.0.1:${ports.adapter}`,
    `--data-dir=${path.join(dir, 'adapter')}`,
    `--auth.write-token-file=${writeToken}`,
    `--auth.read-token-file=${readToken}`,
    '--log.level=warn',
  ]);
  const nesterData = path.join(dir, 'nester');
  start('nester', [
    bin.nester,
    'serve',
    `--data-dir=${nesterData}`,
    `--web.listen-address=127.0.0.1:${ports.nester}`,
    `--web.allowed-origins=${url(ports.sandbox)}`,
    `--grafana.url=${url(ports.sandbox)}/`,
    `--grafana.jwks-url=${url(ports.sandbox)}/api/signing-keys/keys`,
    '--log.level=warn',
  ]);
  await until('the adapter', async () => (await fetch(`${url(ports.adapter)}/-/ready`)).ok);
  await until('nester', async () => (await fetch(`${url(ports.nester)}/healthz`)).ok);
  const nesterCli = (...args) =>
    JSON.parse(
      execFileSync(process.execPath, [
        bin.nester,
        ...args,
        `--data-dir=${nesterData}`,
        '--output=json',
        '--log.level=error',
      ]).toString(),
    );
  const apiToken = nesterCli('api-token', 'create', '--description=bench').token;
  const enrolment = nesterCli('token', 'create', '--description=bench', `--max-uses=${AGENTS}`, '--ttl=1h').token;

  console.error(`enrolling ${AGENTS} agents…`);
  const ids = new Array(AGENTS);
  let next = 0;
  const oses = ['Debian GNU/Linux 12 (bookworm)', 'Ubuntu 24.04.1 LTS', 'Fedora Linux 41'];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < AGENTS) {
        const i = next++;
        const response = await fetch(`${url(ports.nester)}/api/v1/enroll`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            token: enrolment,
            facts: {
              hostname: `sim-${String(i).padStart(5, '0')}`,
              agentVersion: i % 10 ? '0.1.0' : '0.0.9',
              os: { prettyName: oses[i % 3] },
              labels: { site: `site-${i % 20}`, rack: `r${i % 200}` },
            },
          }),
        });
        if (response.status !== 201) throw new Error(`enrolment: ${response.status} ${await response.text()}`);
        ids[i] = (await response.json()).harvesterId;
      }
    }),
  );

  console.error(`pushing health samples for ${AGENTS} agents…`);
  const now = Date.now();
  const times = [];
  for (let t = now - 6 * 60_000; t <= now + 20 * 60_000; t += 60_000) times.push(t);
  const pushStart = Date.now();
  const writeSecret = fs.readFileSync(writeToken, 'utf8').trim();
  for (let i = 0; i < AGENTS; i += 250) {
    const timeseries = [];
    for (let k = i; k < Math.min(AGENTS, i + 250); k++) timeseries.push(...healthSeries(ids[k], k, times));
    const response = await fetch(`${url(ports.adapter)}/api/v1/write`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${writeSecret}`,
        'content-encoding': 'snappy',
        'content-type': 'application/x-protobuf',
      },
      body: new Uint8Array(snappyCompress(encodeWriteRequest({ timeseries }))),
    });
    if (response.status !== 204) throw new Error(`remote_write: ${response.status} ${await response.text()}`);
  }
  const pushSeconds = (Date.now() - pushStart) / 1000;

  console.error('starting the sandbox…');
  start(
    'sandbox',
    [
      bin.sandbox,
      `--listen-address=127.0.0.1:${ports.sandbox}`,
      '--id-forwarding',
      `--data-dir=${path.join(dir, 'sandbox')}`,
      `--provisioning=${path.join(repo, 'provisioning')}`,
    ],
    {
      NESTER_URL: url(ports.nester),
      NESTER_API_TOKEN: apiToken,
      NESTER_PUBLIC_WS_URL: '',
      NESTER_ENROLL_URL: '',
      ADAPTER_URL: url(ports.adapter),
      ADAPTER_READ_TOKEN: fs.readFileSync(readToken, 'utf8').trim(),
    },
  );
  await until('the sandbox', async () => (await fetch(url(ports.sandbox))).status < 500);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.request.post(`${url(ports.sandbox)}/sandbox/api/login`, { data: { login: 'admin', role: 'Admin' } });

  // nester's list as the page calls it: through the app's proxy route, as a signed-in admin.
  const nesterGet = async (query) => {
    const response = await page.request.get(
      `${url(ports.sandbox)}/api/plugin-proxy/nester-fleet-app/api/v1/harvesters?${query}`,
    );
    if (!response.ok()) throw new Error(`nester ${query}: ${response.status()} ${await response.text()}`);
    return response.json();
  };
  const api = {};
  for (const sort of ['hostname', 'status', 'lastSeen', 'os', 'agentVersion']) {
    api[`GET /api/v1/harvesters?limit=50&sort=${sort}`] = await timed(RUNS, () => nesterGet(`limit=50&sort=${sort}`));
  }
  api['GET /api/v1/harvesters?limit=50&offset=<last page>&order=desc'] = await timed(RUNS, () =>
    nesterGet(`limit=50&offset=${Math.max(0, AGENTS - 50)}&order=desc`),
  );
  api['GET /api/v1/harvesters?limit=50&q=sim-0999&label=site=site-3'] = await timed(RUNS, () =>
    nesterGet('limit=50&q=sim-0999&label=site%3Dsite-3'),
  );
  api['GET /api/v1/harvesters (all, no paging)'] = await timed(RUNS, () => nesterGet(''));

  // The datasource requests of each load, told apart by their matcher: the page's ids, or every one.
  const dsQuery = { page: [], fleet: [] };
  page.on('requestfinished', (request) => {
    if (!request.url().includes('/ds/query')) return;
    const body = request.postData() ?? '';
    const timing = request.timing();
    const kind = body.includes('harvester_id!=') ? 'fleet' : body.includes('harvester_id=~') ? 'page' : undefined;
    if (kind) dsQuery[kind].push(timing.responseEnd - timing.requestStart);
  });
  const fleet = `${url(ports.sandbox)}/a/nester-fleet-app/fleet`;
  const load = { rows: [], health: [], summary: [] };
  for (let run = 0; run <= RUNS; run++) {
    const t0 = performance.now();
    await page.goto(fleet);
    await page.locator('[data-testid="harvester-row"]').nth(49).waitFor({ timeout: 120_000 });
    const rows = performance.now() - t0;
    await page.waitForFunction(
      () => document.querySelector('[data-testid="health-load"]')?.getAttribute('data-value'),
      undefined,
      { timeout: 120_000, polling: 50 },
    );
    const health = performance.now() - t0;
    await page.waitForFunction(
      () => document.querySelector('[data-testid="summary-high-cpu"]')?.getAttribute('data-count'),
      undefined,
      { timeout: 120_000, polling: 50 },
    );
    const summary = performance.now() - t0;
    if (run > 0) {
      // The first load also fills caches (the plugin bundle, PostgreSQL's buffers); not counted.
      load.rows.push(rows);
      load.health.push(health);
      load.summary.push(summary);
    }
  }
  const counts = await page.evaluate(() =>
    ['online', 'offline', 'high-cpu', 'high-memory', 'high-disk', 'high-load'].map(
      (key) => `${key} ${document.querySelector(`[data-testid="summary-${key}"]`)?.getAttribute('data-count')}`,
    ),
  );
  const t0 = performance.now();
  await page.getByRole('button', { name: '2', exact: true }).click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="fleet-range"]')?.textContent?.startsWith('51'),
  );
  const nextPage = performance.now() - t0;
  await browser.close();

  const cpu = os.cpus();
  console.log(
    `\nFleet page benchmark: ${AGENTS} simulated agents (inventory rows + 10 health series each, ${times.length} samples a series)`,
  );
  console.log(
    `machine: ${cpu.length} x ${cpu[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, embedded PostgreSQL for nester and the adapter, Chromium ${execFileSync(
      '/usr/bin/chromium',
      ['--version'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    )
      .toString()
      .trim()}`,
  );
  console.log(
    `setup: enrolment and ${(AGENTS * 10 * times.length).toLocaleString('en')} samples pushed in ${pushSeconds.toFixed(1)} s\n`,
  );
  console.log(`API (median of ${RUNS}):`);
  for (const [what, time] of Object.entries(api)) console.log(`  ${what.padEnd(60)} ${ms(time)}`);
  console.log(`\nFleet page in Chromium (median of ${RUNS}, after one warm-up load):`);
  console.log(`  50 rows shown                                                ${ms(median(load.rows))}`);
  console.log(`  health columns filled (one datasource request for the page)  ${ms(median(load.health))}`);
  console.log(`  summary counts (fleet-wide up to 1,000 machines, else the page)${ms(median(load.summary))}`);
  console.log(`  next page (click → rows 51–100)                              ${ms(nextPage)}`);
  console.log(`  summary: ${counts.join(', ')}`);
  console.log(`\nDatasource requests in those loads (median, request sent → answer received):`);
  console.log(`  health of the page's 50 rows (10 queries, one request)        ${ms(median(dsQuery.page))}`);
  console.log(`  health of the whole fleet (10 queries, one request)           ${ms(median(dsQuery.fleet))}`);
}

async function stopAll() {
  for (const child of children.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
  await new Promise((done) => setTimeout(done, 2000));
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
}

main()
  .then(stopAll)
  .catch(async (err) => {
    console.error(`fleet page benchmark failed: ${err.stack}\nlogs in ${dir}`);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    process.exit(1);
  });
