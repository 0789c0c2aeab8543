// Debian's prometheus-node-exporter (1.5.0), the peer our collectors are compared with.

import { execFileSync } from 'node:child_process';
import { NODE_EXPORTER_BIN } from '@nester/testing/prometheus';
import { freePort, type Service, startService, waitForHttp } from '@nester/testing/services';

/** Collector names this node_exporter build knows, read from its --help. */
export function nodeExporterCollectors(): string[] {
  const help = execFileSync(NODE_EXPORTER_BIN, ['--help'], { encoding: 'utf8' });
  return [...help.matchAll(/--(?:\[no-\])?collector\.([a-z_0-9]+)\s+Enable the \S+ collector/g)].map(
    (match) => match[1],
  );
}

/**
 * Upstream's defaults for the flags Debian's build changes, so both exporters are compared
 * under upstream semantics (metrics-storage.md §7).
 */
export const UPSTREAM_DEFAULTS = [
  '--collector.filesystem.mount-points-exclude=^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)',
  '--collector.netdev.device-exclude=',
];

export async function startNodeExporter(args: string[]): Promise<{ service: Service; url: string }> {
  const port = await freePort();
  const service = startService('node_exporter', NODE_EXPORTER_BIN, [
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...args,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(service, `${url}/`);
  return { service, url };
}
