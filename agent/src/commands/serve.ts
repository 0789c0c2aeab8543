// `harvester` (no subcommand): serve node_exporter-compatible metrics.

import { parseCommand } from '@nester/common/cli/command';
import { type FlagValuesOf, redactedValues } from '@nester/common/config/flags';
import { createLogger, type Logger } from '@nester/common/log/logger';
import type { Server } from 'node:http';
import type { CollectorDefinition } from '../collectors/collector';
import { COLLECTORS } from '../collectors/index';
import { REMOTE_FLAGS, type ScrapeFlagValues, SERVE_FLAGS, withCollectorFlags } from '../config/flags';
import { PUSH_FLAGS, pushOptions } from '../config/push-flags';
import { startPush } from '../push/pipeline';
import { harvesterInfoFamily, IdentitySource, machineTargetLabels } from '../identity/machine-identity';
import { parseLabels, remoteAccessConfig } from '../remote/config';
import { startRemoteAccess } from '../remote/remote-access';
import { defaultStateDir } from '../remote/state';
import type { Paths } from '../procfs/paths';
import { type EnabledCollector, Scraper } from '../scrape/scrape';
import { processFamilies } from '../self/process-metrics';
import type { MetricFamily } from '../metrics/family';
import { createMetricsServer } from '../server/metrics-server';
import { type ListenAddress, parseListenAddress } from '@nester/common/config/listen';
import { VERSION } from '../version';
import { HARVESTER_ID_LABEL } from '@nester/contracts/metrics/identity';

/** Every flag of `harvester` (serve): its own, push, remote access and the collectors'. */
export function serveFlags() {
  return withCollectorFlags({ ...SERVE_FLAGS, ...PUSH_FLAGS, ...REMOTE_FLAGS }, COLLECTORS);
}

export async function serve(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const flags = serveFlags();
  const command = {
    usage: 'harvester [flags]',
    description:
      'Nester harvester: node_exporter-compatible metrics for this machine. Other commands: `harvester enroll`, `harvester check-config`, `harvester --version`.',
    flags,
  };
  const parsed = parseCommand(command, argv, env);
  if (!parsed) return;
  const { values } = parsed;
  const log = createLogger({ name: 'harvester', level: values['log.level'] });
  log.info({ version: VERSION, flags: redactedValues(flags, values) }, 'starting harvester');

  const { push, remote, addresses, scraper, identity } = serveSettings(values, env, log);
  const idLabel = push?.harvesterIdLabel ?? HARVESTER_ID_LABEL;
  const own: (() => MetricFamily[])[] = [
    () => processFamilies(VERSION),
    () => [harvesterInfoFamily(identity.current(), idLabel, VERSION)],
  ];
  const ownFamilies = () => own.flatMap((source) => source());
  const running = await startMetrics(values, addresses, scraper, ownFamilies, log);
  const machineLabels = () => machineTargetLabels(identity.current(), idLabel);
  const pushing = push
    ? startPush(push, scraper, ownFamilies, log.child({ component: 'remote_write' }), machineLabels)
    : undefined;
  if (pushing) own.push(() => pushing.families());
  const remoteAccess = remote ? startRemoteAccess(remote, log, identity) : undefined;
  const stop = async () => {
    log.info('shutting down');
    await Promise.all(running.map((server) => new Promise((done) => server.close(done))));
    await pushing?.stop();
    remoteAccess?.stop();
    process.exit(0);
  };
  // A shutdown that fails still ends the process, saying why.
  const onSignal = () =>
    void stop().catch((err: Error) => {
      log.error({ err: err.message }, 'shutdown failed');
      process.exit(1);
    });
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

export type ServeFlagValues = FlagValuesOf<ReturnType<typeof serveFlags>>;

/** Everything the flags must make sense of before anything starts; `harvester check-config` runs only this. */
export function serveSettings(values: ServeFlagValues, env: NodeJS.ProcessEnv, log: Logger) {
  const stateDir = values['remote.state-dir'] || defaultStateDir(env);
  return {
    identity: new IdentitySource(stateDir, parseLabels(values['remote.label'])),
    push: pushOptions(values),
    remote: values['remote.enabled'] ? remoteAccessConfig(values, defaultStateDir(env)) : undefined,
    addresses: values['web.listen-address'].map((address) => parseListenAddress(address)),
    scraper: buildScraper(values, log),
  };
}

export function pathsFrom(values: ScrapeFlagValues): Paths {
  return {
    procfs: values['path.procfs'],
    sysfs: values['path.sysfs'],
    rootfs: values['path.rootfs'],
    udevData: values['path.udev.data'],
  };
}

export function enabledCollectors(values: ScrapeFlagValues, collectors: CollectorDefinition[] = COLLECTORS) {
  return collectors.filter((collector) => {
    const explicit = values[`collector.${collector.name}`];
    if (explicit !== undefined) return explicit === true;
    return collector.defaultEnabled && !values['collector.disable-defaults'];
  });
}

export function buildScraper(values: ScrapeFlagValues, log: Logger): Scraper {
  const paths = pathsFrom(values);
  const enabled: EnabledCollector[] = enabledCollectors(values).map((definition) => ({
    name: definition.name,
    collect: definition.create({ paths, flags: values, log: log.child({ collector: definition.name }) }),
    foreign: definition.foreign,
  }));
  log.info({ collectors: enabled.map((collector) => collector.name) }, 'enabled collectors');
  return new Scraper(enabled, log);
}

async function startMetrics(
  values: ScrapeFlagValues,
  addresses: ListenAddress[],
  scraper: Scraper,
  ownFamilies: () => MetricFamily[],
  log: Logger,
): Promise<Server[]> {
  const options = {
    scraper,
    ownFamilies,
    exposeOwnFamilies: !values['web.disable-exporter-metrics'],
    telemetryPath: values['web.telemetry-path'],
    maxRequests: values['web.max-requests'],
    version: VERSION,
    log,
  };
  return Promise.all(
    addresses.map(
      (address) =>
        new Promise<Server>((resolve, reject) => {
          const http = createMetricsServer(options);
          http.once('error', (err: NodeJS.ErrnoException) =>
            reject(new Error(`cannot listen on ${address.host ?? '*'}:${address.port}: ${err.code ?? err.message}`)),
          );
          http.listen(address.port, address.host, () => {
            log.info({ address: http.address() }, 'listening');
            resolve(http);
          });
        }),
    ),
  );
}
